package dev.flotilla.node.network;

import dev.flotilla.testsupport.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Real network namespaces standing in for pod sandboxes: each gets a unique name and is removed by
 * {@link #close}, whatever the test left in it. Commands run with {@code ip netns exec}.
 */
final class NetworkNamespaces implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final List<String> created = new ArrayList<>();

    /** Whether this process may create namespaces and the CNI plugins are installed. */
    static boolean available(Path pluginDir) {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(pluginDir.resolve("ptp"))
                && Files.isExecutable(pluginDir.resolve("host-local"));
    }

    synchronized String create() {
        String name = "flt-" + UUID.randomUUID().toString().substring(0, 8);
        run("ip", "netns", "add", name).assertSuccess();
        created.add(name);
        return name;
    }

    static Path path(String name) {
        return Path.of("/var/run/netns", name);
    }

    Command.Result exec(String namespace, String... command) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        line.addAll(List.of(command));
        return Command.run(TIMEOUT, line);
    }

    /** One ping from the namespace (or from the host when {@code namespace} is null); true when answered. */
    boolean ping(String namespace, String address) {
        List<String> ping = new ArrayList<>(pingCommand());
        ping.addAll(List.of("-c", "1", "-W", "3", address));
        Command.Result result = namespace == null ? Command.run(TIMEOUT, ping)
                : exec(namespace, ping.toArray(String[]::new));
        return result.exitCode() == 0;
    }

    private static List<String> pingCommand() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, "ping"))) {
                return List.of(dir + "/ping");
            }
        }
        return List.of("busybox", "ping");
    }

    static Command.Result run(String... command) {
        return Command.run(TIMEOUT, List.of(command));
    }

    /** Names of namespaces that exist now. */
    static List<String> existing() {
        return run("ip", "netns", "list").output().lines().map(l -> l.split(" ")[0]).toList();
    }

    List<String> names() {
        return List.copyOf(created);
    }

    @Override
    public synchronized void close() {
        for (String name : created) {
            run("ip", "netns", "delete", name);
        }
        created.clear();
    }
}
