package dev.flotilla.scheduler.plugins;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.NodeInfoList;
import dev.flotilla.scheduler.cache.PodIndex;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.PreScorePlugin;
import dev.flotilla.scheduler.framework.ScorePlugin;
import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prefers nodes that already have the pod's images, as upstream's ImageLocality: the sum over the
 * pod's (init) containers of image size times the share of nodes that have it, clamped to 23 MiB ..
 * 1000 MiB per container and scaled to 0..100. Image names without a tag count as {@code :latest}.
 */
public final class ImageLocality implements PreScorePlugin, ScorePlugin {

    static final long MB = 1024L * 1024;
    static final long MIN_THRESHOLD = 23 * MB;
    static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;
    private static final String NAME = "ImageLocality";

    /** The pod's images, how many nodes have each, and how many nodes there are. */
    private record Spread(List<String> images, Map<String, Integer> nodesWithImage, int allNodes) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, List<NodeInfo> allNodes) {
        PodIndex index = NodeInfoList.of(allNodes).index();
        List<String> images = images(pod);
        Map<String, Integer> counts = new HashMap<>();
        for (String image : images) {
            counts.put(image, index.nodesWithImage(image));
        }
        state.write(NAME, new Spread(images, counts, allNodes.size()));
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Spread spread = state.read(NAME);
        List<String> images = spread == null ? images(pod) : spread.images();
        long sum = 0;
        for (String image : images) {
            Long size = node.imageSizes().get(image);
            if (size != null && spread != null && spread.allNodes() > 0) {
                sum += (long) (size * ((double) spread.nodesWithImage().getOrDefault(image, 0) / spread.allNodes()));
            }
        }
        long maxThreshold = MAX_CONTAINER_THRESHOLD * images.size();
        long clamped = Math.max(MIN_THRESHOLD, Math.min(sum, maxThreshold));
        return MAX_SCORE * (clamped - MIN_THRESHOLD) / (maxThreshold - MIN_THRESHOLD);
    }

    /** The images of init and app containers, one entry per container, names normalized as upstream. */
    private static List<String> images(PodInfo pod) {
        List<String> images = new ArrayList<>();
        List<Container> containers = new ArrayList<>(pod.pod().getSpec().getInitContainers());
        containers.addAll(pod.pod().getSpec().getContainers());
        for (Container container : containers) {
            String image = container.getImage() == null ? "" : container.getImage();
            images.add(image.lastIndexOf(':') <= image.lastIndexOf('/') ? image + ":latest" : image);
        }
        return images;
    }
}
