package dev.flotilla.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real single-member etcd on free loopback ports in a temporary directory. It keeps its ports
 * across {@link #stop()} and {@link #start()}, so a test can take etcd away and bring it back.
 */
public final class EtcdServer implements AutoCloseable {

    private final Path dir;
    private final int clientPort;
    private final int peerPort;
    private final ExternalProcess process;

    private EtcdServer(Path dir, int clientPort, int peerPort) {
        this.dir = dir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        String peerUrl = "http://127.0.0.1:" + peerPort;
        this.process = new ExternalProcess("etcd", List.of(
                Binaries.etcd().toString(),
                "--name", "test",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "test=" + peerUrl,
                "--initial-cluster-state", "new",
                "--log-level", "warn"),
                dir.resolve("etcd.log"), Map.of("ETCD_UNSUPPORTED_ARCH", ""));
    }

    /** Starts a new etcd and waits until it answers its health endpoint. */
    public static EtcdServer start() {
        EtcdServer server = new EtcdServer(TempDirs.create("flotilla-etcd-"), FreePorts.next(), FreePorts.next());
        server.startAgain();
        return server;
    }

    /** Starts this etcd again (same data, same ports) after {@link #stop()}. */
    public void startAgain() {
        process.start();
        Await.until(Duration.ofSeconds(30), "etcd to become healthy; log:\n" + process.logTail(20), this::healthy);
    }

    public void stop() {
        process.stop(Duration.ofSeconds(10));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public boolean healthy() {
        if (!process.isAlive()) {
            return false;
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(endpoint() + "/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        process.kill();
        if (Files.exists(dir)) {
            TempDirs.deleteRecursively(dir);
        }
    }
}
