package dev.flotilla.e2e;

import dev.flotilla.testsupport.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's idle-memory target, run by hand (not part of the suite), after building the server jar:
 * {@code mvn -pl e2e verify -Dit.test=ServerIdleRssBenchmark -Dfailsafe.includes=**}{@code /*Benchmark.java}.
 * Starts the server jar in its own process exactly as {@code flotilla up} does ({@link ForkedServer}),
 * waits for /readyz, leaves it idle for 30 s and prints its VmRSS.
 */
class ServerIdleRssBenchmark {

    private static final Duration IDLE = Duration.ofSeconds(30);

    @Test
    void measure() throws Exception {
        long started = System.nanoTime();
        try (ForkedServer server = ForkedServer.start()) {
            System.out.printf("server (%s) ready after %.1f s, RSS %d MiB%n", server.command(),
                    (System.nanoTime() - started) / 1e9, ForkedServer.rssKib(server.pid()) / 1024);
            long idleUntil = System.nanoTime() + IDLE.toNanos();
            Await.until(IDLE.plusSeconds(10), "30 s of idleness", () -> System.nanoTime() >= idleUntil);
            System.out.printf("| idle API server RSS after %d s | %d MiB | load %s |%n", IDLE.toSeconds(),
                    ForkedServer.rssKib(server.pid()) / 1024, WatchCacheBenchmark.loadAverage());
        }
    }
}
