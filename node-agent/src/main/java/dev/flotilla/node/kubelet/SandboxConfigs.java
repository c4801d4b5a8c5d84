package dev.flotilla.node.kubelet;

import dev.flotilla.node.cri.v1.LinuxPodSandboxConfig;
import dev.flotilla.node.cri.v1.LinuxSandboxSecurityContext;
import dev.flotilla.node.cri.v1.NamespaceMode;
import dev.flotilla.node.cri.v1.NamespaceOption;
import dev.flotilla.node.cri.v1.PodSandboxConfig;
import dev.flotilla.node.cri.v1.PodSandboxMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.nio.file.Path;

/** A pod's CRI sandbox configuration: identity labels, log directory, hostname and namespaces. */
final class SandboxConfigs {

    private final Path podLogsRoot;

    SandboxConfigs(Path podLogsRoot) {
        this.podLogsRoot = podLogsRoot;
    }

    /** {@code <state>/pods/<namespace>_<name>_<uid>}: where the runtime writes the pod's container logs. */
    Path logDirectory(Pod pod) {
        return podLogsRoot.resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName() + "_"
                + pod.getMetadata().getUid());
    }

    PodSandboxConfig config(Pod pod, int attempt) {
        PodSpec spec = pod.getSpec();
        PodSandboxConfig.Builder config = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(pod.getMetadata().getName())
                        .setNamespace(pod.getMetadata().getNamespace()).setUid(pod.getMetadata().getUid())
                        .setAttempt(attempt))
                .setLogDirectory(logDirectory(pod).toString())
                .putLabels(PodLabels.POD_UID, pod.getMetadata().getUid())
                .putLabels(PodLabels.POD_NAME, pod.getMetadata().getName())
                .putLabels(PodLabels.POD_NAMESPACE, pod.getMetadata().getNamespace())
                .putAnnotations(PodLabels.GRACE_PERIOD, Long.toString(gracePeriodSeconds(pod)))
                .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(
                        LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces(spec))
                                // the runtime refuses privileged containers in a sandbox not marked so
                                .setPrivileged(anyPrivileged(spec))));
        if (!Boolean.TRUE.equals(spec.getHostNetwork())) {
            // A host-network sandbox must leave the hostname unset (it is the node's).
            config.setHostname(spec.getHostname() != null ? spec.getHostname() : pod.getMetadata().getName());
        }
        return config.build();
    }

    private static boolean anyPrivileged(PodSpec spec) {
        return java.util.stream.Stream.of(spec.getInitContainers(), spec.getContainers())
                .filter(java.util.Objects::nonNull).flatMap(java.util.List::stream)
                .anyMatch(c -> c.getSecurityContext() != null && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged()));
    }

    static NamespaceOption namespaces(PodSpec spec) {
        return NamespaceOption.newBuilder()
                .setNetwork(Boolean.TRUE.equals(spec.getHostNetwork()) ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(Boolean.TRUE.equals(spec.getHostPID()) ? NamespaceMode.NODE
                        : Boolean.TRUE.equals(spec.getShareProcessNamespace()) ? NamespaceMode.POD : NamespaceMode.CONTAINER)
                .setIpc(Boolean.TRUE.equals(spec.getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD)
                .build();
    }

    static long gracePeriodSeconds(Pod pod) {
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (grace == null) {
            grace = pod.getSpec().getTerminationGracePeriodSeconds();
        }
        return grace == null ? 30 : Math.max(grace, 0);
    }
}
