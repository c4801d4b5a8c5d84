package dev.flotilla.e2e;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.EtcdServer;
import dev.flotilla.testsupport.FreePorts;
import dev.flotilla.testsupport.HttpsClient;
import dev.flotilla.testsupport.PostgresServer;
import dev.flotilla.testsupport.TempDirs;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The server jar in a process of its own, started as {@code flotilla up} starts it (the launcher's
 * default JVM options, read from the {@code flotilla} script, and its environment variables) against
 * test etcd and PostgreSQL, for benchmarks that measure a real server process (its RSS). Needs the
 * jar built ({@code mvn -pl e2e -am verify} packages it). Optionally a scheduler process of its own,
 * as {@code flotilla scheduler} runs one.
 */
final class ForkedServer implements AutoCloseable {

    private static final Pattern LAUNCHER_OPTS = Pattern.compile(
            "APISERVER_JAVA_OPTS=\"\\$\\{FLOTILLA_APISERVER_JAVA_OPTS:-(.*)}\"");

    private final EtcdServer etcd;
    private final PostgresServer postgres;
    private final Path stateDir;
    private final int port;
    private final List<String> command;
    private final Process server;
    private final List<Process> others = new ArrayList<>();

    private ForkedServer(EtcdServer etcd, PostgresServer postgres, Path stateDir, int port, List<String> command,
            Process server) {
        this.etcd = etcd;
        this.postgres = postgres;
        this.stateDir = stateDir;
        this.port = port;
        this.command = command;
        this.server = server;
    }

    /** Starts etcd, PostgreSQL and the server with {@code systemProperties} added; waits for /readyz. */
    static ForkedServer start(String... systemProperties) throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(List.of(launcherJavaOptions().split(" ")));
        command.addAll(List.of(systemProperties));
        Path stateDir = TempDirs.create("flotilla-forked-");
        command.addAll(List.of("-Dflotilla.state-dir=" + stateDir, "-jar", serverJar().toString()));
        int port = FreePorts.next();
        EtcdServer etcd = EtcdServer.start();
        PostgresServer postgres = PostgresServer.start();
        postgres.createDatabase("flotilla");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(stateDir.resolve("apiserver.log").toFile());
        builder.environment().putAll(Map.of(
                "FLOTILLA_ETCD_ENDPOINTS", etcd.endpoint(),
                "FLOTILLA_POSTGRES_URL", postgres.jdbcUrl("flotilla"),
                "FLOTILLA_POSTGRES_USERNAME", PostgresServer.USER,
                "FLOTILLA_APISERVER_PORT", Integer.toString(port),
                "FLOTILLA_APISERVER_BIND_ADDRESS", "127.0.0.1",
                "FLOTILLA_APISERVER_STATE_DIR", stateDir.toString()));
        ForkedServer forked = new ForkedServer(etcd, postgres, stateDir, port, command, builder.start());
        try {
            Await.until(Duration.ofSeconds(120), "the forked server is ready (log: " + stateDir.resolve("apiserver.log") + ")",
                    () -> Files.exists(stateDir.resolve("pki/ca.crt")) && Files.exists(stateDir.resolve("admin.kubeconfig"))
                            && HttpsClient.anonymous(forked.url(), stateDir.resolve("pki")).get("/readyz").statusCode() == 200);
            return forked;
        } catch (RuntimeException | Error e) {
            forked.close();
            throw e;
        }
    }

    /** A scheduler process on the server's scheduler kubeconfig, as {@code flotilla scheduler} runs it. */
    Process startScheduler() throws IOException {
        List<String> scheduler = new ArrayList<>(List.of("java"));
        scheduler.addAll(List.of(launcherJavaOptions().split(" ")));
        scheduler.addAll(List.of("-cp", serverJar().toString(), "dev.flotilla.scheduler.SchedulerCommand",
                "--kubeconfig", stateDir.resolve("scheduler.kubeconfig").toString()));
        Process process = new ProcessBuilder(scheduler).redirectErrorStream(true)
                .redirectOutput(stateDir.resolve("scheduler.log").toFile()).start();
        others.add(process);
        return process;
    }

    String url() {
        return "https://127.0.0.1:" + port;
    }

    long pid() {
        return server.pid();
    }

    String command() {
        return String.join(" ", command);
    }

    KubernetesClient fabric8Client(Duration requestTimeout) throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(stateDir.resolve("admin.kubeconfig")));
        config.setRequestTimeout((int) requestTimeout.toMillis());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A process's resident set in KiB, from /proc; -1 once it is gone. */
    static long rssKib(long pid) throws IOException {
        Path status = Path.of("/proc/" + pid + "/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    @Override
    public void close() throws Exception {
        for (Process process : others) {
            process.destroy();
            process.waitFor();
        }
        server.destroy();
        server.waitFor();
        postgres.close();
        etcd.close();
    }

    private static Path root() {
        return Path.of("").toAbsolutePath().getParent();
    }

    private static String launcherJavaOptions() throws IOException {
        Matcher matcher = LAUNCHER_OPTS.matcher(Files.readString(root().resolve("flotilla")));
        if (!matcher.find()) {
            throw new AssertionError("no APISERVER_JAVA_OPTS default in the flotilla launcher");
        }
        return matcher.group(1);
    }

    private static Path serverJar() throws IOException {
        try (Stream<Path> files = Files.list(root().resolve("backend/server/target"))) {
            return files.filter(f -> f.getFileName().toString().matches("flotilla-server-.*\\.jar"))
                    .filter(f -> !f.getFileName().toString().endsWith("-tests.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("build the server jar first (mvn -pl e2e -am verify)"));
        }
    }
}
