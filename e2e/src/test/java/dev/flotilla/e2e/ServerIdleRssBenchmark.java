package dev.flotilla.e2e;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.EtcdServer;
import dev.flotilla.testsupport.FreePorts;
import dev.flotilla.testsupport.HttpsClient;
import dev.flotilla.testsupport.PostgresServer;
import dev.flotilla.testsupport.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's idle-memory target, run by hand (not part of the suite), after building the server jar:
 * {@code mvn -pl e2e verify -Dit.test=ServerIdleRssBenchmark -Dfailsafe.includes=**}{@code /*Benchmark.java}.
 * Starts the server jar in its own process exactly as {@code flotilla up} does (the launcher's
 * default JVM options, read from the {@code flotilla} script, and its environment variables) against
 * test etcd and PostgreSQL, waits for /readyz, leaves it idle for 30 s and prints its VmRSS.
 */
class ServerIdleRssBenchmark {

    private static final Pattern LAUNCHER_OPTS = Pattern.compile(
            "APISERVER_JAVA_OPTS=\"\\$\\{FLOTILLA_APISERVER_JAVA_OPTS:-(.*)}\"");
    private static final Duration IDLE = Duration.ofSeconds(30);

    @Test
    void measure() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(List.of(launcherJavaOptions(root).split(" ")));
        Path stateDir = TempDirs.create("flotilla-rss-");
        command.addAll(List.of("-Dflotilla.state-dir=" + stateDir, "-jar", serverJar(root).toString()));
        int port = FreePorts.next();
        try (EtcdServer etcd = EtcdServer.start(); PostgresServer postgres = PostgresServer.start()) {
            postgres.createDatabase("flotilla");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(stateDir.resolve("apiserver.log").toFile());
            builder.environment().putAll(java.util.Map.of(
                    "FLOTILLA_ETCD_ENDPOINTS", etcd.endpoint(),
                    "FLOTILLA_POSTGRES_URL", postgres.jdbcUrl("flotilla"),
                    "FLOTILLA_POSTGRES_USERNAME", PostgresServer.USER,
                    "FLOTILLA_APISERVER_PORT", Integer.toString(port),
                    "FLOTILLA_APISERVER_BIND_ADDRESS", "127.0.0.1",
                    "FLOTILLA_APISERVER_STATE_DIR", stateDir.toString()));
            Process server = builder.start();
            try {
                long started = System.nanoTime();
                Await.until(Duration.ofSeconds(120), "the forked server is ready",
                        () -> Files.exists(stateDir.resolve("pki/ca.crt"))
                                && HttpsClient.anonymous("https://127.0.0.1:" + port, stateDir.resolve("pki"))
                                        .get("/readyz").statusCode() == 200);
                System.out.printf("server (%s) ready after %.1f s, RSS %d MiB%n", String.join(" ", command),
                        (System.nanoTime() - started) / 1e9, rssKib(server.pid()) / 1024);
                long idleUntil = System.nanoTime() + IDLE.toNanos();
                Await.until(IDLE.plusSeconds(10), "30 s of idleness", () -> System.nanoTime() >= idleUntil);
                System.out.printf("| idle API server RSS after %d s | %d MiB | load %s |%n", IDLE.toSeconds(),
                        rssKib(server.pid()) / 1024, WatchCacheBenchmark.loadAverage());
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
    }

    private static String launcherJavaOptions(Path root) throws IOException {
        Matcher matcher = LAUNCHER_OPTS.matcher(Files.readString(root.resolve("flotilla")));
        if (!matcher.find()) {
            throw new AssertionError("no APISERVER_JAVA_OPTS default in the flotilla launcher");
        }
        return matcher.group(1);
    }

    private static Path serverJar(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("backend/server/target"))) {
            return files.filter(f -> f.getFileName().toString().matches("flotilla-server-.*\\.jar"))
                    .filter(f -> !f.getFileName().toString().endsWith("-tests.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError(
                            "build the server jar first (mvn -pl backend/server -am install)"));
        }
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
