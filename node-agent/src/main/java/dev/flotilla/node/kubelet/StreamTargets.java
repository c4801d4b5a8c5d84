package dev.flotilla.node.kubelet;

import dev.flotilla.node.cri.v1.AttachRequest;
import dev.flotilla.node.cri.v1.ContainerFilter;
import dev.flotilla.node.cri.v1.ContainerState;
import dev.flotilla.node.cri.v1.ExecRequest;
import dev.flotilla.node.cri.v1.PodSandboxFilter;
import dev.flotilla.node.cri.v1.PodSandboxState;
import dev.flotilla.node.runtime.CriClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.grpc.StatusRuntimeException;
import java.util.List;

/**
 * The runtime's streaming URL for the kubelet API's {@code /exec}, {@code /attach} and
 * {@code /portForward}: the pod by namespace and name, its running container or ready sandbox, and a
 * CRI Exec, Attach or PortForward call for one session.
 */
public final class StreamTargets {

    /** Why there is no session: the HTTP status and the message the caller (kubectl) shows. */
    public static final class NoTargetException extends RuntimeException {

        private final int status;

        public NoTargetException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** What a session carries, from the request's {@code input}, {@code output}, {@code error}, {@code tty}. */
    public record Streams(boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    }

    private final Kubelet kubelet;
    private final CriClient cri;

    public StreamTargets(Kubelet kubelet, CriClient cri) {
        this.kubelet = kubelet;
        this.cri = cri;
    }

    public String exec(String namespace, String podName, String container, List<String> command, Streams streams) {
        if (command.isEmpty()) {
            throw new NoTargetException(400, "you must specify at least one command for the container");
        }
        String id = runningContainer(namespace, podName, container);
        return url(() -> cri.exec(ExecRequest.newBuilder().setContainerId(id).addAllCmd(command)
                .setStdin(streams.stdin()).setStdout(streams.stdout()).setStderr(streams.stderr() && !streams.tty())
                .setTty(streams.tty()).build()));
    }

    public String attach(String namespace, String podName, String container, Streams streams) {
        String id = runningContainer(namespace, podName, container);
        return url(() -> cri.attach(AttachRequest.newBuilder().setContainerId(id)
                .setStdin(streams.stdin()).setStdout(streams.stdout()).setStderr(streams.stderr() && !streams.tty())
                .setTty(streams.tty()).build()));
    }

    public String portForward(String namespace, String podName, List<Integer> ports) {
        Pod pod = pod(namespace, podName);
        String sandbox = cri.listPodSandboxes(PodSandboxFilter.newBuilder()
                        .putLabelSelector(PodLabels.POD_UID, pod.getMetadata().getUid()).build()).stream()
                .filter(s -> s.getState() == PodSandboxState.SANDBOX_READY).map(s -> s.getId()).findFirst()
                .orElseThrow(() -> new NoTargetException(400, "pod " + podName + " has no running sandbox"));
        return url(() -> cri.portForward(sandbox, ports));
    }

    private Pod pod(String namespace, String name) {
        return kubelet.pod(namespace, name)
                .orElseThrow(() -> new NoTargetException(404, "pod does not exist"));
    }

    private String runningContainer(String namespace, String podName, String container) {
        Pod pod = pod(namespace, podName);
        return cri.listContainers(ContainerFilter.newBuilder()
                        .putLabelSelector(PodLabels.POD_UID, pod.getMetadata().getUid())
                        .putLabelSelector(PodLabels.CONTAINER_NAME, container).build()).stream()
                .filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING).map(c -> c.getId()).findFirst()
                .orElseThrow(() -> new NoTargetException(404, "container not found (\"" + container + "\")"));
    }

    private static String url(java.util.function.Supplier<String> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw new NoTargetException(500, "the container runtime refused the session: "
                    + e.getStatus().getDescription());
        }
    }
}
