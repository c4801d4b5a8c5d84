package dev.flotilla.node;

import dev.flotilla.api.cli.CommandLineOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code node-agent run --kubeconfig FILE --state-dir DIR [--node-name NAME] [--node-ip IP]
 * [--containerd-socket PATH | --containerd-binary containerd] [--cni-conf-dir DIR] [--cni-bin-dir /usr/lib/cni]
 * [--kubelet-address 0.0.0.0] [--kubelet-port 10250] [--tls-cert-file F --tls-private-key-file F --client-ca-file F]}:
 * runs the node agent until stopped. Other subcommands (join) live beside it.
 */
public final class NodeAgentCommand {

    static final String USAGE = "usage: node-agent run --kubeconfig FILE --state-dir DIR [--node-name NAME] [--node-ip IP]"
            + " [--containerd-socket PATH | --containerd-binary containerd] [--cni-conf-dir DIR] [--cni-bin-dir DIR]"
            + " [--kubelet-address ADDR] [--kubelet-port 10250]"
            + " [--tls-cert-file FILE --tls-private-key-file FILE --client-ca-file FILE]";

    private NodeAgentCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("run")) {
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
        NodeAgent agent = new NodeAgent(config).start();
        System.out.println("node agent " + config.nodeName() + " running (state " + config.stateDir() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    static NodeAgentConfig config(Map<String, String> options) {
        for (String required : new String[] {"kubeconfig", "state-dir"}) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        boolean tls = options.containsKey("tls-cert-file");
        if (tls && (!options.containsKey("tls-private-key-file") || !options.containsKey("client-ca-file"))) {
            throw new IllegalArgumentException("--tls-cert-file needs --tls-private-key-file and --client-ca-file");
        }
        return new NodeAgentConfig(
                options.getOrDefault("node-name", hostname()),
                options.getOrDefault("node-ip", "127.0.0.1"),
                Path.of(options.get("state-dir")),
                Path.of(options.get("kubeconfig")),
                options.containsKey("containerd-socket") ? Path.of(options.get("containerd-socket")) : null,
                options.getOrDefault("containerd-binary", "containerd"),
                options.containsKey("cni-conf-dir") ? Path.of(options.get("cni-conf-dir")) : null,
                Path.of(options.getOrDefault("cni-bin-dir", "/usr/lib/cni")),
                options.getOrDefault("kubelet-address", "0.0.0.0"),
                Integer.parseInt(options.getOrDefault("kubelet-port", Integer.toString(NodeAgentConfig.DEFAULT_KUBELET_PORT))),
                tls ? Path.of(options.get("tls-cert-file")) : null,
                tls ? Path.of(options.get("tls-private-key-file")) : null,
                tls ? Path.of(options.get("client-ca-file")) : null,
                dev.flotilla.node.server.KubeletServer.DEFAULT_ALLOWED_USERS);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
