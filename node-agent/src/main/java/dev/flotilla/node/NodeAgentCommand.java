package dev.flotilla.node;

import dev.flotilla.api.cli.CommandLineOptions;
import dev.flotilla.node.join.JoinCommand;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code node-agent run [--state-dir /var/lib/flotilla-node] [--kubeconfig FILE] [--node-name NAME] [--node-ip IP]
 * [--containerd-socket PATH | --containerd-binary containerd] [--cni-conf-dir DIR] [--cni-bin-dir /usr/lib/cni]
 * [--pod-network true|false] [--kubelet-address 0.0.0.0] [--kubelet-port 10250]
 * [--tls-cert-file F --tls-private-key-file F --client-ca-file F]}: runs the node agent until stopped,
 * with the credentials {@code node-agent join} (see {@link JoinCommand}) left in the state directory
 * unless {@code --kubeconfig} is given. {@code node-agent reset} removes what a stopped agent left running.
 */
public final class NodeAgentCommand {

    static final String USAGE = "usage: node-agent join --server URL --token ID.SECRET --ca-cert-hash sha256:HEX [...]\n"
            + "       node-agent run [--state-dir " + NodeAgentConfig.DEFAULT_STATE_DIR + "] [--kubeconfig FILE]"
            + " [--node-name NAME] [--node-ip IP]"
            + " [--containerd-socket PATH | --containerd-binary containerd] [--cni-conf-dir DIR] [--cni-bin-dir DIR]"
            + " [--pod-network true|false] [--kubelet-address ADDR] [--kubelet-port 10250]"
            + " [--tls-cert-file FILE --tls-private-key-file FILE --client-ca-file FILE]"
            + " [--image-registry HOST:PORT [--registry-mirrors docker.io,registry.k8s.io,...]]"
            + " [--eviction-hard memory.available<100Mi,nodefs.available<10%,...] [--eviction-soft ...]"
            + " [--eviction-soft-grace-period memory.available=1m30s,...] [--eviction-minimum-reclaim ...]"
            + " [--eviction-pressure-transition-period 5m] [--eviction-max-pod-grace-period 0]"
            + " [--image-gc-high-threshold 85] [--image-gc-low-threshold 80] [--image-minimum-gc-age 2m]"
            + " [--minimum-container-ttl-duration 0] [--maximum-dead-containers-per-container 1]\n"
            + "       node-agent reset [--state-dir DIR] (stops and removes the pods a stopped agent left running)";

    private NodeAgentCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("join")) {
            System.exit(JoinCommand.run(args, System.out, System.err));
        }
        if (args.length == 0 || !(args[0].equals("run") || args[0].equals("reset"))) {
            System.err.println(USAGE);
            System.exit(2);
        }
        NodeAgentConfig config;
        try {
            config = config(CommandLineOptions.parse(java.util.Arrays.copyOfRange(args, 1, args.length)));
        } catch (IllegalArgumentException e) {
            System.err.println("node-agent: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (args[0].equals("reset")) {
            try {
                new NodeReset(config, System.out).run();
                System.exit(0);
            } catch (RuntimeException e) {
                System.err.println("node-agent reset: " + e.getMessage());
                System.exit(1);
            }
        }
        // The hook is in place before start, so that a stop while starting still stops containerd.
        NodeAgent agent = new NodeAgent(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }));
        try {
            agent.start();
        } catch (RuntimeException e) {
            System.err.println("node-agent: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("node agent " + config.nodeName() + " running (state " + config.stateDir() + ")");
        stopped.await();
    }

    static NodeAgentConfig config(Map<String, String> options) {
        String podNetwork = options.getOrDefault("pod-network", "true");
        if (!podNetwork.equals("true") && !podNetwork.equals("false")) {
            throw new IllegalArgumentException("--pod-network must be true or false, not " + podNetwork);
        }
        boolean tls = options.containsKey("tls-cert-file");
        if (tls && (!options.containsKey("tls-private-key-file") || !options.containsKey("client-ca-file"))) {
            throw new IllegalArgumentException("--tls-cert-file needs --tls-private-key-file and --client-ca-file");
        }
        return new NodeAgentConfig(
                options.getOrDefault("node-name", hostname()),
                options.getOrDefault("node-ip", "127.0.0.1"),
                Path.of(options.getOrDefault("state-dir", NodeAgentConfig.DEFAULT_STATE_DIR.toString())),
                options.containsKey("kubeconfig") ? Path.of(options.get("kubeconfig")) : null,
                options.containsKey("containerd-socket") ? Path.of(options.get("containerd-socket")) : null,
                options.getOrDefault("containerd-binary", "containerd"),
                options.containsKey("cni-conf-dir") ? Path.of(options.get("cni-conf-dir")) : null,
                Path.of(options.getOrDefault("cni-bin-dir", "/usr/lib/cni")),
                Boolean.parseBoolean(podNetwork),
                options.getOrDefault("kubelet-address", "0.0.0.0"),
                port(options.getOrDefault("kubelet-port", Integer.toString(NodeAgentConfig.DEFAULT_KUBELET_PORT))),
                tls ? Path.of(options.get("tls-cert-file")) : null,
                tls ? Path.of(options.get("tls-private-key-file")) : null,
                tls ? Path.of(options.get("client-ca-file")) : null,
                dev.flotilla.node.server.KubeletServer.DEFAULT_ALLOWED_USERS,
                options.containsKey("image-registry") ? new dev.flotilla.node.images.PlatformRegistry(
                        options.get("image-registry"), options.containsKey("registry-mirrors")
                        ? java.util.List.of(options.get("registry-mirrors").split(","))
                        : dev.flotilla.node.images.PlatformRegistry.DEFAULT_MIRRORED) : null,
                dev.flotilla.node.eviction.EvictionSettings.fromOptions(options));
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--kubelet-port must be a port number, not " + value);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
