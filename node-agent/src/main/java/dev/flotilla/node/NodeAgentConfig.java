package dev.flotilla.node;

import dev.flotilla.node.eviction.EvictionSettings;
import dev.flotilla.node.images.BaseImages;
import dev.flotilla.node.images.PlatformRegistry;
import dev.flotilla.node.runtime.ContainerdConfig;
import java.nio.file.Path;
import java.util.Set;

/**
 * The node agent's settings. {@code kubeconfig} null means the credentials {@code node-agent join}
 * left in {@code stateDir} (client certificate renewed in place, kubelet serving certificate requested
 * from the cluster unless {@code tlsCertFile} is given). {@code containerdSocket} null means the agent
 * runs a containerd of its own under {@code stateDir/containerd}. {@code podNetwork} true means the
 * agent claims IPAM blocks and writes the CNI configuration into {@code cniConfDir}; false leaves a
 * configuration there to someone else. {@code imageRegistry} (may be null) is the platform registry
 * containerd pulls from and mirrors public registries to. {@code eviction}: node-pressure eviction,
 * image and container garbage collection ({@link EvictionSettings}).
 */
public record NodeAgentConfig(
        String nodeName,
        String nodeIp,
        Path stateDir,
        Path kubeconfig,
        Path containerdSocket,
        String containerdBinary,
        Path cniConfDir,
        Path cniBinDir,
        boolean podNetwork,
        String kubeletBindAddress,
        int kubeletPort,
        Path tlsCertFile,
        Path tlsKeyFile,
        Path clientCaFile,
        Set<String> kubeletApiUsers,
        PlatformRegistry imageRegistry,
        EvictionSettings eviction) {

    /** With upstream's eviction and garbage collection defaults. */
    public NodeAgentConfig(String nodeName, String nodeIp, Path stateDir, Path kubeconfig, Path containerdSocket,
                           String containerdBinary, Path cniConfDir, Path cniBinDir, boolean podNetwork,
                           String kubeletBindAddress, int kubeletPort, Path tlsCertFile, Path tlsKeyFile,
                           Path clientCaFile, Set<String> kubeletApiUsers, PlatformRegistry imageRegistry) {
        this(nodeName, nodeIp, stateDir, kubeconfig, containerdSocket, containerdBinary, cniConfDir, cniBinDir, podNetwork,
                kubeletBindAddress, kubeletPort, tlsCertFile, tlsKeyFile, clientCaFile, kubeletApiUsers, imageRegistry,
                EvictionSettings.defaults());
    }

    /** The same configuration with other eviction and garbage collection settings. */
    public NodeAgentConfig withEviction(EvictionSettings settings) {
        return new NodeAgentConfig(nodeName, nodeIp, stateDir, kubeconfig, containerdSocket, containerdBinary, cniConfDir,
                cniBinDir, podNetwork, kubeletBindAddress, kubeletPort, tlsCertFile, tlsKeyFile, clientCaFile,
                kubeletApiUsers, imageRegistry, settings);
    }

    /** Without a platform registry: containerd pulls only what its default configuration reaches. */
    public NodeAgentConfig(String nodeName, String nodeIp, Path stateDir, Path kubeconfig, Path containerdSocket,
                           String containerdBinary, Path cniConfDir, Path cniBinDir, boolean podNetwork,
                           String kubeletBindAddress, int kubeletPort, Path tlsCertFile, Path tlsKeyFile,
                           Path clientCaFile, Set<String> kubeletApiUsers) {
        this(nodeName, nodeIp, stateDir, kubeconfig, containerdSocket, containerdBinary, cniConfDir, cniBinDir, podNetwork,
                kubeletBindAddress, kubeletPort, tlsCertFile, tlsKeyFile, clientCaFile, kubeletApiUsers, null);
    }

    public static final int DEFAULT_KUBELET_PORT = 10250;
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/flotilla-node");

    /** The configuration of the containerd the agent runs itself (when {@code containerdSocket} is null). */
    public ContainerdConfig containerdConfig() {
        return new ContainerdConfig(containerdDir(), effectiveCniConfDir(), cniBinDir, BaseImages.PAUSE);
    }

    public Path containerdDir() {
        return stateDir.resolve("containerd");
    }

    /** {@code <state>/kubelet/pods}: each pod's volumes, under {@code <uid>/volumes/<plugin>/<name>} as upstream's. */
    public Path podVolumesDir() {
        return stateDir.resolve("kubelet/pods");
    }

    /** {@code <state>/local-path}: the directories of the local-path PVs provisioned on this node. */
    public Path localPathDir() {
        return stateDir.resolve("local-path");
    }

    public Path podLogsDir() {
        return stateDir.resolve("pods");
    }

    public Path imagesWorkDir() {
        return stateDir.resolve("images");
    }

    /** The static pod folder: one Pod manifest per file, run without the API server and mirrored to it. */
    public Path manifestsDir() {
        return stateDir.resolve("manifests");
    }

    /** Where host-local records the pod addresses in use. */
    public Path ipamDataDir() {
        return stateDir.resolve("cni/ipam");
    }

    public Path effectiveCniConfDir() {
        return cniConfDir != null ? cniConfDir : stateDir.resolve("cni/net.d");
    }
}
