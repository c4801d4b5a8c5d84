package dev.flotilla.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A real image registry (Debian's docker-registry, the CNCF distribution registry) on a free loopback
 * port, plain HTTP, its configuration and storage in a temporary directory; optionally with one
 * htpasswd login (bcrypt, the only hash the registry accepts), so that every request needs it.
 */
public final class RegistryServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final ExternalProcess process;

    private RegistryServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.process = new ExternalProcess("docker-registry",
                List.of("docker-registry", "serve", dir.resolve("config.yml").toString()), dir.resolve("registry.log"), Map.of());
    }

    /** A registry anyone may pull from and push to. */
    public static RegistryServer start() {
        return start(null, null);
    }

    /** A registry that answers 401 to any request without {@code username}/{@code password}. */
    public static RegistryServer startWithLogin(String username, String password) {
        return start(username, password);
    }

    private static RegistryServer start(String username, String password) {
        RegistryServer server = new RegistryServer(TempDirs.create("flotilla-registry-"), FreePorts.next());
        try {
            server.writeConfig(username, password);
            server.process.start();
            Await.until(Duration.ofSeconds(30), "the registry on " + server.address() + " to answer; log:\n"
                    + server.process.logTail(20), server::answers);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private void writeConfig(String username, String password) {
        StringBuilder config = new StringBuilder("""
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("data"), port));
        try {
            if (username != null) {
                byte[] salt = new byte[16];
                new SecureRandom().nextBytes(salt);
                Path htpasswd = dir.resolve("htpasswd");
                Files.writeString(htpasswd, username + ":" + OpenBSDBCrypt.generate(password.toCharArray(), salt, 6) + "\n");
                config.append("""
                        auth:
                          htpasswd:
                            realm: flotilla-test
                            path: %s
                        """.formatted(htpasswd));
            }
            Files.writeString(dir.resolve("config.yml"), config.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the registry configuration in " + dir, e);
        }
    }

    /** Up when /v2/ answers at all: 200 without a login, 401 with one. */
    private boolean answers() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the registry exited; log:\n" + process.logTail(20));
        }
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + address() + "/v2/")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 || response.statusCode() == 401;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code 127.0.0.1:PORT}, as image references name it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.kill();
        if (Files.exists(dir)) {
            TempDirs.deleteRecursively(dir);
        }
    }
}
