package dev.flotilla.e2e;

import dev.flotilla.apiserver.pki.ClusterCertificates;
import dev.flotilla.server.FlotillaServer;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.EtcdServer;
import dev.flotilla.testsupport.FreePorts;
import dev.flotilla.testsupport.HttpsClient;
import dev.flotilla.testsupport.PostgresServer;
import dev.flotilla.testsupport.TempDirs;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
    private final List<String> extraArgs;

    private ControlPlane(List<String> extraArgs) {
        this.extraArgs = List.copyOf(extraArgs);
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
        return startServer(port);
    }

    private FlotillaServer startServer(int serverPort) {
        return startServer(serverPort, List.of());
    }

    private FlotillaServer startServer(int serverPort, List<String> moreArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--flotilla.etcd.endpoints=" + etcd.endpoint(),
                "--flotilla.postgres.url=" + postgres.jdbcUrl("flotilla"),
                "--flotilla.postgres.username=" + PostgresServer.USER,
                "--flotilla.apiserver.bind-address=127.0.0.1",
                "--flotilla.apiserver.port=" + serverPort,
                "--flotilla.apiserver.state-dir=" + stateDir));
        args.addAll(extraArgs);
        args.addAll(moreArgs);
        return FlotillaServer.start(args.toArray(String[]::new));
    }

    /**
     * Starts a further API server on the same etcd, PostgreSQL and state directory with more
     * settings, without waiting for it to be ready (for settings it may refuse to start with); the
     * caller stops it.
     */
    FlotillaServer startAnotherServerWith(String... moreArgs) {
        try {
            byte[] kubeconfig = Files.readAllBytes(kubeconfig());
            try {
                return startServer(FreePorts.next(), List.of(moreArgs));
            } finally {
                Files.write(kubeconfig(), kubeconfig);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Stops the API server and starts it again on the same port, as an operator's restart does. */
    void restartServer() {
        server.stop();
        server = startServer();
        HttpsClient probe = HttpsClient.anonymous(url(), stateDir.resolve("pki"));
        Await.until(Duration.ofSeconds(30), "control plane ready after restart",
                () -> probe.get("/readyz").statusCode() == 200);
    }

    /** The same while a dependency is down: waits for {@code /livez} only, as {@code /readyz} reports the outage. */
    void restartServerLive() {
        server.stop();
        server = startServer();
        HttpsClient probe = HttpsClient.anonymous(url(), stateDir.resolve("pki"));
        Await.until(Duration.ofSeconds(60), "control plane live after restart",
                () -> probe.get("/livez").statusCode() == 200);
    }

    /**
     * Starts a further API server on the same etcd, PostgreSQL and state directory (as a second
     * replica would run); kubectl keeps talking to the first one. The caller stops it.
     */
    FlotillaServer startAnotherServer() {
        try {
            byte[] kubeconfig = Files.readAllBytes(kubeconfig());
            FlotillaServer other = startServer(FreePorts.next());
            Files.write(kubeconfig(), kubeconfig);
            HttpsClient probe = HttpsClient.anonymous("https://127.0.0.1:" + other.port(), stateDir.resolve("pki"));
            Await.until(Duration.ofSeconds(30), "second API server ready",
                    () -> probe.get("/readyz").statusCode() == 200);
            return other;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An admin client for another API server of this control plane. */
    HttpsClient admin(FlotillaServer other) {
        return HttpsClient.withClientCertificate("https://127.0.0.1:" + other.port(), stateDir.resolve("pki"), "admin");
    }

    static ControlPlane start() {
        return new ControlPlane(List.of());
    }

    /** A control plane with extra server settings ({@code --flotilla.apiserver....=value}). */
    static ControlPlane start(String... extraArgs) {
        return new ControlPlane(List.of(extraArgs));
    }

    Path pkiDir() {
        return stateDir.resolve("pki");
    }

    Path workDir() {
        return workDir;
    }

    FlotillaServer server() {
        return server;
    }

    Path stateDir() {
        return stateDir;
    }

    String url() {
        return "https://127.0.0.1:" + server.port();
    }

    EtcdServer etcdServer() {
        return etcd;
    }

    /** The platform database's server, for outage tests (stop, startAgain). */
    PostgresServer postgresServer() {
        return postgres;
    }

    String etcdEndpoint() {
        return etcd.endpoint();
    }

    Path kubeconfig() {
        return stateDir.resolve("admin.kubeconfig");
    }

    /** A fabric8 client with the admin kubeconfig; the caller closes it. */
    KubernetesClient fabric8Client() {
        return new KubernetesClientBuilder().withConfig(adminConfig()).build();
    }

    /**
     * The same with a longer request timeout, for tests on a busy machine where a slow answer must
     * not become a retried POST (and a 409 of the test's own making).
     */
    KubernetesClient fabric8Client(Duration requestTimeout) {
        Config config = adminConfig();
        config.setRequestTimeout((int) requestTimeout.toMillis());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private Config adminConfig() {
        try {
            return Config.fromKubeconfig(Files.readString(kubeconfig()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    HttpsClient admin() {
        return HttpsClient.withClientCertificate(url(), stateDir.resolve("pki"), "admin");
    }

    /** Runs kubectl with the admin kubeconfig; stdin is empty. */
    Command.Result kubectl(String... args) {
        return kubectlWith(kubeconfig(), Map.of(), args);
    }

    /** Runs kubectl with the admin kubeconfig and extra environment (EDITOR, KUBECTL_EXTERNAL_DIFF …). */
    Command.Result kubectlWithEnv(Map<String, String> env, String... args) {
        return kubectlWith(kubeconfig(), env, args);
    }

    /** Runs kubectl with the given kubeconfig; stdin is empty. */
    Command.Result kubectlWith(Path kubeconfig, String... args) {
        return kubectlWith(kubeconfig, Map.of(), args);
    }

    private Command.Result kubectlWith(Path kubeconfig, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Map<String, String> environment = new java.util.HashMap<>(Map.of("KUBECTL_EXTERNAL_DIFF", ""));
        environment.putAll(env);
        return Command.run(Duration.ofSeconds(60), workDir, environment, command);
    }

    /**
     * A kubeconfig for {@code user} in {@code groups}, with a client certificate from the cluster CA
     * (its certificate and key are also {@code pki/user-<user>.crt|key}, for {@link #clientAs}).
     */
    Path kubeconfigFor(String user, String... groups) {
        return server.context().getBean(ClusterCertificates.class).clientKubeconfig("user-" + user, user,
                List.of(groups));
    }

    /** An HTTPS client presenting the certificate {@link #kubeconfigFor} issued for {@code user}. */
    HttpsClient clientAs(String user) {
        return HttpsClient.withClientCertificate(url(), stateDir.resolve("pki"), "user-" + user);
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
