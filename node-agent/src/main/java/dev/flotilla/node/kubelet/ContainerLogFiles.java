package dev.flotilla.node.kubelet;

import dev.flotilla.node.cri.v1.ContainerFilter;
import dev.flotilla.node.cri.v1.ContainerState;
import dev.flotilla.node.runtime.CriClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Where a pod container's CRI log files are ({@code <pod log dir>/<container>/<attempt>.log}) and whether it runs. */
public final class ContainerLogFiles {

    private final Kubelet kubelet;
    private final SandboxConfigs sandboxes;
    private final CriClient cri;

    public ContainerLogFiles(Kubelet kubelet, Path podLogsRoot, CriClient cri) {
        this.kubelet = kubelet;
        this.sandboxes = new SandboxConfigs(podLogsRoot);
        this.cri = cri;
    }

    public Optional<Pod> pod(String namespace, String name) {
        return kubelet.pod(namespace, name);
    }

    /** The newest attempt's log file, or the one before it for {@code previous}. */
    public Optional<Path> logFile(Pod pod, String container, boolean previous) {
        Path dir = sandboxes.logDirectory(pod).resolve(container);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> attempts = files.filter(f -> f.getFileName().toString().matches("\\d+\\.log"))
                    .sorted(Comparator.comparingInt(ContainerLogFiles::attempt).reversed()).toList();
            int index = previous ? 1 : 0;
            return attempts.size() > index ? Optional.of(attempts.get(index)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean running(Pod pod, String container) {
        return cri.listContainers(ContainerFilter.newBuilder()
                        .putLabelSelector(PodLabels.POD_UID, pod.getMetadata().getUid())
                        .putLabelSelector(PodLabels.CONTAINER_NAME, container).build()).stream()
                .anyMatch(c -> c.getState() == ContainerState.CONTAINER_RUNNING);
    }

    private static int attempt(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(0, name.length() - ".log".length()));
    }
}
