package dev.flotilla.node.join;

import dev.flotilla.api.cli.CommandLineOptions;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * {@code node-agent join --server URL --token ID.SECRET --ca-cert-hash sha256:HEX [--node-name NAME]
 * [--state-dir DIR] [--timeout 300s]}: exit code 0 once the node's kubeconfig is written, 1 with a message
 * saying what to do when joining failed, 2 for bad arguments.
 */
public final class JoinCommand {

    static final Path DEFAULT_STATE_DIR = dev.flotilla.node.NodeAgentConfig.DEFAULT_STATE_DIR;

    private JoinCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        NodeJoin.Options join;
        try {
            Map<String, String> options = CommandLineOptions.parse(
                    Arrays.copyOfRange(args, args.length > 0 && args[0].equals("join") ? 1 : 0, args.length));
            if (!options.keySet().containsAll(java.util.List.of("server", "token", "ca-cert-hash"))) {
                throw new IllegalArgumentException("--server, --token and --ca-cert-hash are required");
            }
            join = new NodeJoin.Options(options.get("server"), options.get("token"),
                    options.get("ca-cert-hash"), options.getOrDefault("node-name", hostname()),
                    Path.of(options.getOrDefault("state-dir", DEFAULT_STATE_DIR.toString())),
                    Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout", "300s").replaceAll("s$", ""))),
                    null);
        } catch (IllegalArgumentException e) {
            // NumberFormatException (a --timeout that is not seconds) included.
            err.println("node-agent join: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        try {
            new NodeJoin(join, out::println).join();
            return 0;
        } catch (JoinException e) {
            err.println("join failed: " + e.getMessage());
            return 1;
        }
    }

    private static String usage() {
        return "usage: node-agent join --server https://HOST:6443 --token ID.SECRET --ca-cert-hash sha256:HEX"
                + " [--node-name NAME] [--state-dir " + DEFAULT_STATE_DIR + "] [--timeout 300s]";
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
