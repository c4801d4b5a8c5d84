package dev.flotilla.node.eviction;

import dev.flotilla.node.cri.v1.Container;
import dev.flotilla.node.cri.v1.ContainerState;
import dev.flotilla.node.cri.v1.PodSandbox;
import dev.flotilla.node.cri.v1.PodSandboxState;
import dev.flotilla.node.kubelet.PodLabels;
import dev.flotilla.node.runtime.CriClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's container garbage collector: dead (exited) containers older than
 * {@code minimumContainerTTLDuration}, grouped by pod and container name, keep the newest
 * {@code maxPerPodContainer} of each group (for {@code logs --previous}); every dead container and
 * stopped sandbox of a pod whose content may be removed (evicted, or gone from the API) goes.
 * Stopped sandboxes without containers keep only each pod's newest.
 */
public final class ContainerGarbageCollector {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerGarbageCollector.class);

    private final CriClient cri;
    private final EvictionSettings settings;
    private final PodStates pods;
    private final Clock clock;

    public ContainerGarbageCollector(CriClient cri, EvictionSettings settings, PodStates pods, Clock clock) {
        this.cri = cri;
        this.settings = settings;
        this.pods = pods;
        this.clock = clock;
    }

    /** One pass; returns how many containers and sandboxes were removed. */
    public synchronized int collect() {
        Instant newestRemovable = clock.instant().minus(settings.minimumContainerTtl());
        Map<String, List<Container>> groups = new HashMap<>();
        Set<String> sandboxesInUse = new HashSet<>();
        List<Container> containers = cri.listContainers();
        for (Container container : containers) {
            String uid = container.getLabelsOrDefault(PodLabels.POD_UID, "");
            if (container.getState() != ContainerState.CONTAINER_EXITED || uid.isEmpty()) {
                sandboxesInUse.add(container.getPodSandboxId());
                continue;
            }
            if (createdAt(container.getCreatedAt()).isAfter(newestRemovable)) {
                sandboxesInUse.add(container.getPodSandboxId());
                continue;
            }
            String name = container.getLabelsOrDefault(PodLabels.CONTAINER_NAME, container.getMetadata().getName());
            groups.computeIfAbsent(uid + "/" + name, k -> new ArrayList<>()).add(container);
        }
        int removed = 0;
        for (Map.Entry<String, List<Container>> group : groups.entrySet()) {
            String uid = group.getKey().substring(0, group.getKey().indexOf('/'));
            List<Container> dead = new ArrayList<>(group.getValue());
            dead.sort(Comparator.comparingLong(Container::getCreatedAt).reversed());
            int keep = pods.contentRemovable(uid) ? 0 : Math.max(0, settings.maxPerPodContainer());
            if (settings.maxPerPodContainer() < 0 && keep > 0) {
                keep = dead.size(); // a negative maximum keeps every dead container, as upstream
            }
            for (int i = 0; i < dead.size(); i++) {
                if (i < keep) {
                    sandboxesInUse.add(dead.get(i).getPodSandboxId());
                    continue;
                }
                removed += remove(dead.get(i));
            }
        }
        return removed + collectSandboxes(sandboxesInUse);
    }

    private int remove(Container container) {
        try {
            cri.removeContainer(container.getId());
            LOG.info("removed dead container {} ({}) of pod {}", container.getId(), container.getMetadata().getName(),
                    container.getLabelsOrDefault(PodLabels.POD_UID, ""));
            return 1;
        } catch (RuntimeException e) {
            LOG.warn("cannot remove dead container {}: {}", container.getId(), e.getMessage());
            return 0;
        }
    }

    private int collectSandboxes(Set<String> inUse) {
        Map<String, List<PodSandbox>> byPod = new HashMap<>();
        for (PodSandbox sandbox : cri.listPodSandboxes()) {
            String uid = sandbox.getLabelsOrDefault(PodLabels.POD_UID, sandbox.getMetadata().getUid());
            if (sandbox.getState() == PodSandboxState.SANDBOX_READY || inUse.contains(sandbox.getId()) || uid.isEmpty()) {
                continue;
            }
            byPod.computeIfAbsent(uid, k -> new ArrayList<>()).add(sandbox);
        }
        int removed = 0;
        for (Map.Entry<String, List<PodSandbox>> pod : byPod.entrySet()) {
            List<PodSandbox> stopped = new ArrayList<>(pod.getValue());
            stopped.sort(Comparator.comparingLong(PodSandbox::getCreatedAt).reversed());
            int keep = pods.contentRemovable(pod.getKey()) ? 0 : 1;
            for (int i = keep; i < stopped.size(); i++) {
                try {
                    cri.removePodSandbox(stopped.get(i).getId());
                    removed++;
                } catch (RuntimeException e) {
                    LOG.warn("cannot remove sandbox {}: {}", stopped.get(i).getId(), e.getMessage());
                }
            }
        }
        return removed;
    }

    private static Instant createdAt(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }
}
