package dev.flotilla.node.runtime;

import dev.flotilla.node.cri.v1.AuthConfig;
import dev.flotilla.node.cri.v1.ContainerFilter;
import dev.flotilla.node.cri.v1.ContainerStatus;
import dev.flotilla.node.cri.v1.ContainerStatusRequest;
import dev.flotilla.node.cri.v1.ExecSyncRequest;
import dev.flotilla.node.cri.v1.ExecSyncResponse;
import dev.flotilla.node.cri.v1.CreateContainerRequest;
import dev.flotilla.node.cri.v1.ContainerConfig;
import dev.flotilla.node.cri.v1.Image;
import dev.flotilla.node.cri.v1.ImageServiceGrpc;
import dev.flotilla.node.cri.v1.ImageSpec;
import dev.flotilla.node.cri.v1.ImageStatusRequest;
import dev.flotilla.node.cri.v1.ListContainersRequest;
import dev.flotilla.node.cri.v1.ListImagesRequest;
import dev.flotilla.node.cri.v1.ListPodSandboxRequest;
import dev.flotilla.node.cri.v1.PodSandbox;
import dev.flotilla.node.cri.v1.PodSandboxConfig;
import dev.flotilla.node.cri.v1.PodSandboxFilter;
import dev.flotilla.node.cri.v1.PodSandboxStatus;
import dev.flotilla.node.cri.v1.PodSandboxStatusRequest;
import dev.flotilla.node.cri.v1.PullImageRequest;
import dev.flotilla.node.cri.v1.RemoveContainerRequest;
import dev.flotilla.node.cri.v1.RemovePodSandboxRequest;
import dev.flotilla.node.cri.v1.RunPodSandboxRequest;
import dev.flotilla.node.cri.v1.RuntimeCondition;
import dev.flotilla.node.cri.v1.RuntimeServiceGrpc;
import dev.flotilla.node.cri.v1.StartContainerRequest;
import dev.flotilla.node.cri.v1.StatusRequest;
import dev.flotilla.node.cri.v1.StopContainerRequest;
import dev.flotilla.node.cri.v1.StopPodSandboxRequest;
import dev.flotilla.node.cri.v1.VersionRequest;
import dev.flotilla.node.cri.v1.VersionResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * CRI v1 (RuntimeService and ImageService) over containerd's unix socket. Every call carries a
 * deadline: quick ones (lists, status) {@link #QUICK}, container and sandbox operations
 * {@link #OPERATION} plus any stop timeout, image pulls {@link #PULL}.
 */
public final class CriClient implements AutoCloseable {

    static final Duration QUICK = Duration.ofSeconds(10);
    static final Duration OPERATION = Duration.ofMinutes(2);
    static final Duration PULL = Duration.ofMinutes(5);

    private final Path socket;
    private final EventLoopGroup events;
    private final ManagedChannel channel;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
    private final ImageServiceGrpc.ImageServiceBlockingStub images;

    public CriClient(Path socket) {
        this.socket = socket;
        this.events = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
                .eventLoopGroup(events)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .maxInboundMessageSize(16 * 1024 * 1024)
                .build();
        this.runtime = RuntimeServiceGrpc.newBlockingStub(channel);
        this.images = ImageServiceGrpc.newBlockingStub(channel);
    }

    public Path socket() {
        return socket;
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime(Duration deadline) {
        return runtime.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ImageServiceGrpc.ImageServiceBlockingStub images(Duration deadline) {
        return images.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public VersionResponse version() {
        return runtime(QUICK).version(VersionRequest.newBuilder().setVersion("v1").build());
    }

    /** True when the runtime answers and reports RuntimeReady. */
    public boolean runtimeReady() {
        try {
            List<RuntimeCondition> conditions = runtime(QUICK).status(StatusRequest.getDefaultInstance())
                    .getStatus().getConditionsList();
            return conditions.stream().anyMatch(c -> c.getType().equals("RuntimeReady") && c.getStatus());
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    /** Waits for containerd to answer and report RuntimeReady; {@code logHint} is where to look when it does not. */
    public void awaitRuntimeReady(Duration timeout, Path logHint) {
        Instant deadline = Instant.now().plus(timeout);
        while (!runtimeReady()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("containerd at " + socket + " is not ready after "
                        + timeout.toSeconds() + " s (see " + logHint + ")");
            }
            try {
                Thread.sleep(200); // polling a starting process's socket; there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for containerd", e);
            }
        }
    }

    /**
     * Why the node cannot run pods now, in the kubelet's words, or empty when containerd reports both
     * RuntimeReady and NetworkReady (the latter once a CNI configuration is in its conf dir).
     */
    public Optional<String> notReadyReason() {
        List<RuntimeCondition> conditions;
        try {
            conditions = runtime(QUICK).status(StatusRequest.getDefaultInstance()).getStatus().getConditionsList();
        } catch (StatusRuntimeException e) {
            return Optional.of("container runtime is down: containerd does not answer at " + socket + " ("
                    + e.getStatus().getCode() + ")");
        }
        Optional<RuntimeCondition> runtimeReady = condition(conditions, "RuntimeReady");
        if (runtimeReady.isEmpty() || !runtimeReady.get().getStatus()) {
            return Optional.of("container runtime is down: containerd does not report RuntimeReady");
        }
        Optional<RuntimeCondition> networkReady = condition(conditions, "NetworkReady");
        if (networkReady.isEmpty() || !networkReady.get().getStatus()) {
            return Optional.of("container runtime network not ready: NetworkReady=false reason:"
                    + networkReady.map(RuntimeCondition::getReason).orElse("")
                    + " message:" + networkReady.map(RuntimeCondition::getMessage).orElse(""));
        }
        return Optional.empty();
    }

    private static Optional<RuntimeCondition> condition(List<RuntimeCondition> conditions, String type) {
        return conditions.stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    public String runPodSandbox(PodSandboxConfig config) {
        return runtime(OPERATION).runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build())
                .getPodSandboxId();
    }

    public void stopPodSandbox(String id) {
        ignoreNotFound(() -> runtime(OPERATION).stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build()));
    }

    public void removePodSandbox(String id) {
        ignoreNotFound(() -> runtime(OPERATION).removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build()));
    }

    public Optional<PodSandboxStatus> podSandboxStatus(String id) {
        try {
            return Optional.of(runtime(QUICK).podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).build())
                    .getStatus());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public List<PodSandbox> listPodSandboxes() {
        return runtime(QUICK).listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList();
    }

    public List<PodSandbox> listPodSandboxes(PodSandboxFilter filter) {
        return runtime(QUICK).listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(filter).build()).getItemsList();
    }

    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return runtime(OPERATION).createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandboxId)
                .setConfig(config).setSandboxConfig(sandboxConfig).build()).getContainerId();
    }

    public void startContainer(String id) {
        runtime(OPERATION).startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    }

    /** Sends the stop signal, then SIGKILL after {@code timeoutSeconds}; the deadline covers both. */
    public void stopContainer(String id, long timeoutSeconds) {
        ignoreNotFound(() -> runtime(OPERATION.plusSeconds(timeoutSeconds))
                .stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(timeoutSeconds).build()));
    }

    public void removeContainer(String id) {
        ignoreNotFound(() -> runtime(OPERATION).removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build()));
    }

    public List<dev.flotilla.node.cri.v1.Container> listContainers() {
        return runtime(QUICK).listContainers(ListContainersRequest.getDefaultInstance()).getContainersList();
    }

    public List<dev.flotilla.node.cri.v1.Container> listContainers(ContainerFilter filter) {
        return runtime(QUICK).listContainers(ListContainersRequest.newBuilder().setFilter(filter).build())
                .getContainersList();
    }

    public Optional<ContainerStatus> containerStatus(String id) {
        try {
            return Optional.of(runtime(QUICK).containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build())
                    .getStatus());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Usage figures of every container the runtime has (exited ones carry none). */
    public List<dev.flotilla.node.cri.v1.ContainerStats> listContainerStats() {
        return runtime(QUICK).listContainerStats(dev.flotilla.node.cri.v1.ListContainerStatsRequest.getDefaultInstance())
                .getStatsList();
    }

    /**
     * Runs {@code command} in the container and waits for it, at most {@code timeout} (the runtime
     * kills it then and the call fails with DEADLINE_EXCEEDED or the runtime's timeout error).
     */
    public ExecSyncResponse execSync(String containerId, List<String> command, Duration timeout) {
        return runtime(timeout.plus(QUICK)).execSync(ExecSyncRequest.newBuilder().setContainerId(containerId)
                .addAllCmd(command).setTimeout(Math.max(1, timeout.toSeconds())).build());
    }

    /** The runtime's streaming URL for one exec session (the caller connects to it with the client's upgrade). */
    public String exec(dev.flotilla.node.cri.v1.ExecRequest request) {
        return runtime(QUICK).exec(request).getUrl();
    }

    public String attach(dev.flotilla.node.cri.v1.AttachRequest request) {
        return runtime(QUICK).attach(request).getUrl();
    }

    public String portForward(String sandboxId, List<Integer> ports) {
        return runtime(QUICK).portForward(dev.flotilla.node.cri.v1.PortForwardRequest.newBuilder()
                .setPodSandboxId(sandboxId).addAllPort(ports).build()).getUrl();
    }

    public List<Image> listImages() {
        return images(QUICK).listImages(ListImagesRequest.getDefaultInstance()).getImagesList();
    }

    /** The image when the runtime has it (an unset id in CRI's answer means it does not). */
    public Optional<Image> imageStatus(String image) {
        Image found = images(QUICK).imageStatus(ImageStatusRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).build()).getImage();
        return found.getId().isEmpty() ? Optional.empty() : Optional.of(found);
    }

    /** Removes an image (by id or reference); one already gone is no error, as CRI's RemoveImage. */
    public void removeImage(String image) {
        ignoreNotFound(() -> images(OPERATION).removeImage(dev.flotilla.node.cri.v1.RemoveImageRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).build()));
    }

    /** The mountpoint of the runtime's (first) image filesystem, as CRI ImageFsInfo reports it. */
    public Optional<String> imageFsMountpoint() {
        return images(QUICK).imageFsInfo(dev.flotilla.node.cri.v1.ImageFsInfoRequest.getDefaultInstance())
                .getImageFilesystemsList().stream().map(f -> f.getFsId().getMountpoint()).filter(m -> !m.isEmpty())
                .findFirst();
    }

    public String pullImage(String image) {
        return pullImage(image, null);
    }

    /** Pulls with registry credentials ({@code auth} null: anonymous); returns the image's reference (its id). */
    public String pullImage(String image, AuthConfig auth) {
        PullImageRequest.Builder request = PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image));
        if (auth != null) {
            request.setAuth(auth);
        }
        return images(PULL).pullImage(request.build()).getImageRef();
    }

    private static void ignoreNotFound(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
