package dev.flotilla.node;

import dev.flotilla.node.images.BaseImages;
import dev.flotilla.node.kubelet.ContainerLogFiles;
import dev.flotilla.node.kubelet.Kubelet;
import dev.flotilla.node.kubelet.NodeStatusReporter;
import dev.flotilla.node.runtime.ContainerdConfig;
import dev.flotilla.node.runtime.ContainerdSupervisor;
import dev.flotilla.node.runtime.CriClient;
import dev.flotilla.node.server.KubeletServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

/**
 * One node agent: containerd (its own or an existing one), the base images, the Node and its Lease,
 * the pods bound to the node, and the kubelet API. Closing it leaves the containers running, so the
 * next agent on the same state directory adopts them.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Duration RUNTIME_START = Duration.ofSeconds(60);

    private final NodeAgentConfig config;
    private ContainerdSupervisor containerd;
    private CriClient cri;
    private KubernetesClient client;
    private NodeStatusReporter nodeStatus;
    private Kubelet kubelet;
    private KubeletServer server;

    public NodeAgent(NodeAgentConfig config) {
        this.config = config;
    }

    public NodeAgent start() {
        try {
            Files.createDirectories(config.podLogsDir());
            Files.createDirectories(config.imagesWorkDir());
            Files.createDirectories(config.effectiveCniConfDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + config.stateDir(), e);
        }
        var socket = config.containerdSocket();
        if (socket == null) {
            ContainerdConfig containerdConfig = new ContainerdConfig(config.containerdDir(), config.effectiveCniConfDir(),
                    config.cniBinDir(), BaseImages.PAUSE);
            containerd = new ContainerdSupervisor(containerdConfig, config.containerdBinary()).start();
            socket = containerdConfig.socket();
        }
        cri = new CriClient(socket);
        awaitRuntime();
        new BaseImages(cri, config.imagesWorkDir(), socket).ensureLoaded();
        try {
            client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(config.kubeconfig()))).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kubeconfig " + config.kubeconfig(), e);
        }
        nodeStatus = new NodeStatusReporter(client, cri, config.nodeName(), config.nodeIp(), config.kubeletPort(),
                config.stateDir()).start();
        kubelet = new Kubelet(config.nodeName(), config.nodeIp(), config.podLogsDir(), client, cri).start();
        if (config.tlsCertFile() != null) {
            server = new KubeletServer(config.kubeletBindAddress(), config.kubeletPort(), config.tlsCertFile(),
                    config.tlsKeyFile(), config.clientCaFile(), config.kubeletApiUsers(),
                    new ContainerLogFiles(kubelet, config.podLogsDir(), cri)).start();
        }
        return this;
    }

    private void awaitRuntime() {
        Instant deadline = Instant.now().plus(RUNTIME_START);
        while (!cri.runtimeReady()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("containerd at " + cri.socket() + " is not ready after "
                        + RUNTIME_START.toSeconds() + " s (see " + config.containerdDir().resolve("containerd.log") + ")");
            }
            try {
                Thread.sleep(200); // polling a starting process's socket; there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for containerd", e);
            }
        }
    }

    public CriClient cri() {
        return cri;
    }

    public ContainerdSupervisor containerd() {
        return containerd;
    }

    public int kubeletPort() {
        return server == null ? config.kubeletPort() : server.port();
    }

    @Override
    public void close() {
        for (AutoCloseable part : new AutoCloseable[] {server, kubelet, nodeStatus, client, cri, containerd}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    // closing the rest matters more
                }
            }
        }
    }
}
