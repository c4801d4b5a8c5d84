package dev.flotilla.node.eviction;

import dev.flotilla.node.stats.NodeStats;
import dev.flotilla.node.stats.StatsCollector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Pod usage from the runtime's container stats ({@link StatsCollector}: working set, writable layer),
 * each container's log folder under {@code <podLogs>/<ns>_<name>_<uid>/<container>} and the pod's
 * emptyDir volumes under {@code <podVolumes>/<uid>/volumes/kubernetes.io~empty-dir}, as upstream's
 * summary provider counts a pod's ephemeral storage.
 */
public final class RuntimePodUsages implements PodUsages {

    private final StatsCollector stats;
    private final Path podLogs;
    private final Path podVolumes;

    public RuntimePodUsages(StatsCollector stats, Path podLogs, Path podVolumes) {
        this.stats = stats;
        this.podLogs = podLogs;
        this.podVolumes = podVolumes;
    }

    @Override
    public Map<String, PodUsage> read() {
        Map<String, PodUsage> usages = new HashMap<>();
        for (NodeStats.PodUsage pod : stats.collect().pods()) {
            Map<String, Long> memory = new HashMap<>();
            Map<String, Long> disk = new HashMap<>();
            Path logs = podLogs.resolve(pod.namespace() + "_" + pod.name() + "_" + pod.uid());
            for (NodeStats.ContainerUsage container : pod.containers()) {
                memory.merge(container.name(), container.usage().workingSetBytes(), Long::sum);
                disk.merge(container.name(), container.writableLayerBytes() + size(logs.resolve(container.name())), Long::sum);
            }
            Map<String, Long> emptyDirs = emptyDirs(podVolumes.resolve(pod.uid()).resolve("volumes")
                    .resolve("kubernetes.io~empty-dir"));
            usages.put(pod.uid(), new PodUsage(memory, disk,
                    emptyDirs.values().stream().mapToLong(Long::longValue).sum(), emptyDirs));
        }
        return usages;
    }

    /** Bytes used by each emptyDir volume (a folder named after the volume). */
    private static Map<String, Long> emptyDirs(Path root) {
        Map<String, Long> volumes = new HashMap<>();
        if (!Files.isDirectory(root)) {
            return volumes;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory).forEach(dir -> volumes.put(dir.getFileName().toString(), size(dir)));
        } catch (IOException | UncheckedIOException e) {
            // the pod went away while listing: nothing to count
        }
        return volumes;
    }

    /** Bytes of the regular files under {@code dir}; 0 when it does not exist. */
    static long size(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // removed while walking
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
