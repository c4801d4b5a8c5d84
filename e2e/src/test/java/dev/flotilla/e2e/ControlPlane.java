package dev.flotilla.e2e;

import dev.flotilla.server.FlotillaServer;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.EtcdServer;
import dev.flotilla.testsupport.FreePorts;
import dev.flotilla.testsupport.HttpsClient;
import dev.flotilla.testsupport.PostgresServer;
import dev.flotilla.testsupport.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole control plane for scenario tests: real etcd and PostgreSQL, the server in this JVM on a
 * free port, and kubectl pointed at it through the admin kubeconfig.
 */
final class ControlPlane implements AutoCloseable {

    private final EtcdServer etcd;
    private final PostgresServer postgres;
    private final Path stateDir;
    private FlotillaServer server;
    private final int port = FreePorts.next();
    private final Path workDir;

    private ControlPlane() {
        etcd = EtcdServer.start();
        postgres = PostgresServer.start();
        stateDir = TempDirs.create("flotilla-scenario-");
        workDir = TempDirs.create("flotilla-scenario-files-");
        postgres.createDatabase("flotilla");
        server = startServer();
        HttpsClient probe = HttpsClient.anonymous(url(), stateDir.resolve("pki"));
        Await.until(Duration.ofSeconds(30), "control plane ready", () -> probe.get("/readyz").statusCode() == 200);
        Await.until(Duration.ofSeconds(30), "system namespaces", () -> kubectl("get", "namespace", "kube-system").exitCode() == 0);
    }

    private FlotillaServer startServer() {
        return FlotillaServer.start(
                "--flotilla.etcd.endpoints=" + etcd.endpoint(),
                "--flotilla.postgres.url=" + postgres.jdbcUrl("flotilla"),
                "--flotilla.postgres.username=" + PostgresServer.USER,
                "--flotilla.apiserver.bind-address=127.0.0.1",
                "--flotilla.apiserver.port=" + port,
                "--flotilla.apiserver.state-dir=" + stateDir);
    }

    /** Stops the API server and starts it again on the same port, as an operator's restart does. */
    void restartServer() {
        server.stop();
        server = startServer();
        HttpsClient probe = HttpsClient.anonymous(url(), stateDir.resolve("pki"));
        Await.until(Duration.ofSeconds(30), "control plane ready after restart",
                () -> probe.get("/readyz").statusCode() == 200);
    }

    static ControlPlane start() {
        return new ControlPlane();
    }

    String url() {
        return "https://127.0.0.1:" + server.port();
    }

    EtcdServer etcdServer() {
        return etcd;
    }

    String etcdEndpoint() {
        return etcd.endpoint();
    }

    Path kubeconfig() {
        return stateDir.resolve("admin.kubeconfig");
    }

    HttpsClient admin() {
        return HttpsClient.withClientCertificate(url(), stateDir.resolve("pki"), "admin");
    }

    /** Runs kubectl with the admin kubeconfig; stdin is empty. */
    Command.Result kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig().toString()));
        command.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(60), workDir, Map.of("KUBECTL_EXTERNAL_DIFF", ""), command);
    }

    /** Runs kubectl as the holder of a bearer token: no kubeconfig, only the server, its CA and the token. */
    Command.Result kubectlWithToken(String token, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", "/dev/null", "--server", url(),
                "--certificate-authority", stateDir.resolve("pki").resolve("ca.crt").toString(), "--token", token));
        command.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(60), workDir, Map.of(), command);
    }

    HttpsClient anonymous() {
        return HttpsClient.anonymous(url(), stateDir.resolve("pki"));
    }

    Path pkiDir() {
        return stateDir.resolve("pki");
    }

    /** Writes a file into the scenario's working directory and returns its path. */
    Path file(String name, String content) {
        try {
            Path file = workDir.resolve(name);
            Files.writeString(file, content);
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
        etcd.close();
        postgres.close();
        TempDirs.deleteRecursively(stateDir);
        TempDirs.deleteRecursively(workDir);
    }
}
