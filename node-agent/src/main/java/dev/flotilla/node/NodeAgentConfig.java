package dev.flotilla.node;

import java.nio.file.Path;
import java.util.Set;

/**
 * The node agent's settings. {@code containerdSocket} null means the agent runs a containerd of its
 * own under {@code stateDir/containerd}; {@code cniConfDir} is where the pod network configuration
 * is read from (the network part of the agent writes it there).
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
        String kubeletBindAddress,
        int kubeletPort,
        Path tlsCertFile,
        Path tlsKeyFile,
        Path clientCaFile,
        Set<String> kubeletApiUsers) {

    public static final int DEFAULT_KUBELET_PORT = 10250;

    public Path containerdDir() {
        return stateDir.resolve("containerd");
    }

    public Path podLogsDir() {
        return stateDir.resolve("pods");
    }

    public Path imagesWorkDir() {
        return stateDir.resolve("images");
    }

    public Path effectiveCniConfDir() {
        return cniConfDir != null ? cniConfDir : stateDir.resolve("cni/net.d");
    }
}
