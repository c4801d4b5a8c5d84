package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.api.pki.CertificateAuthority;
import dev.flotilla.api.pki.CertificateSpec;
import dev.flotilla.api.pki.IssuedCertificate;
import dev.flotilla.api.pki.PemFiles;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.EtcdServer;
import dev.flotilla.testsupport.FreePorts;
import dev.flotilla.testsupport.HttpsClient;
import dev.flotilla.testsupport.PostgresServer;
import dev.flotilla.testsupport.TempDirs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The assembled control plane against a real etcd and PostgreSQL, over HTTPS, as kubectl and curl see it. */
class ControlPlaneIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    private static EtcdServer etcd;
    private static PostgresServer postgres;
    private static Path stateDir;
    private static FlotillaServer server;
    private static HttpsClient anonymous;
    private static HttpsClient admin;

    @BeforeAll
    static void start() {
        etcd = EtcdServer.start();
        postgres = PostgresServer.start();
        stateDir = TempDirs.create("flotilla-state-");
        server = startServer();
        String url = "https://127.0.0.1:" + server.port();
        anonymous = HttpsClient.anonymous(url, stateDir.resolve("pki"));
        admin = HttpsClient.withClientCertificate(url, stateDir.resolve("pki"), "admin");
        Await.until(Duration.ofSeconds(30), "the server to become ready",
                () -> anonymous.get("/readyz").statusCode() == 200);
    }

    private static FlotillaServer startServer() {
        return FlotillaServer.start(
                "--flotilla.etcd.endpoints=" + etcd.endpoint(),
                "--flotilla.postgres.url=" + postgres.createDatabase("flotilla"),
                "--flotilla.postgres.username=" + PostgresServer.USER,
                "--flotilla.apiserver.bind-address=127.0.0.1",
                "--flotilla.apiserver.port=" + FreePorts.next(),
                "--flotilla.apiserver.state-dir=" + stateDir,
                "--flotilla.apiserver.max-request-body-bytes=" + MAX_BODY);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        TempDirs.deleteRecursively(stateDir);
    }

    @Test
    void healthEndpointsAnswerAnonymousCallersThatTrustTheClusterCa() {
        for (String path : List.of("/readyz", "/livez", "/healthz")) {
            HttpResponse<String> response = anonymous.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEqualTo("ok");
        }
        assertThat(anonymous.get("/readyz?verbose").body())
                .isEqualTo("[+]ping ok\n[+]etcd ok\n[+]postgresql ok\n[+]poststarthook/flotilla/pod-network ok\n"
                        + "[+]poststarthook/rbac/bootstrap-roles ok\nreadyz check passed\n");
    }

    @Test
    void versionIsKubernetesShaped() throws Exception {
        HttpResponse<String> response = anonymous.get("/version");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode version = JSON.readTree(response.body());
        assertThat(version.get("major").asText()).isEqualTo("1");
        assertThat(version.get("minor").asText()).isEqualTo("32");
        assertThat(version.get("gitVersion").asText()).startsWith("v1.32.0+flotilla.");
        assertThat(version.get("platform").asText()).isEqualTo("linux/amd64");
    }

    @Test
    void metricsNeedAnAuthenticatedCaller() throws Exception {
        HttpResponse<String> denied = anonymous.get("/metrics");
        assertThat(denied.statusCode()).isEqualTo(401);
        JsonNode status = JSON.readTree(denied.body());
        assertThat(status.get("kind").asText()).isEqualTo("Status");
        assertThat(status.get("reason").asText()).isEqualTo("Unauthorized");

        admin.get("/version");
        HttpResponse<String> metrics = admin.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .contains("apiserver_request_total{code=\"200\",resource=\"\",verb=\"get\"}")
                .contains("apiserver_request_duration_seconds_bucket")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void unknownPathsAreNotFoundForUsersAndUnauthorizedForAnonymousCallers() throws Exception {
        HttpResponse<String> notFound = admin.get("/apis/nothing.example.com/v1");
        assertThat(notFound.statusCode()).isEqualTo(404);
        JsonNode status = JSON.readTree(notFound.body());
        assertThat(status.get("reason").asText()).isEqualTo("NotFound");
        assertThat(status.get("code").asInt()).isEqualTo(404);

        assertThat(anonymous.get("/api/v1/namespaces").statusCode()).isEqualTo(401);
    }

    @Test
    void writesToPublicEndpointsAreRefused() {
        HttpResponse<String> anonymousPost = anonymous.send(HttpRequest.newBuilder(URI.create(anonymous.baseUrl() + "/readyz"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(anonymousPost.statusCode()).isEqualTo(403);
        assertThat(anonymousPost.body()).contains("cannot post path \\\"/readyz\\\"");

        HttpResponse<String> adminPost = admin.send(HttpRequest.newBuilder(URI.create(admin.baseUrl() + "/version"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(adminPost.statusCode()).isEqualTo(405);
    }

    @Test
    void bodyOverTheLimitIsRefusedWithAStatus() throws Exception {
        byte[] big = new byte[MAX_BODY + 1];
        HttpResponse<String> response = admin.send(HttpRequest.newBuilder(URI.create(admin.baseUrl() + "/api/v1/namespaces"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("reason").asText()).isEqualTo("RequestEntityTooLarge");
        assertThat(admin.get("/readyz").statusCode()).as("server still serves").isEqualTo(200);
    }

    @Test
    void clientCertificateFromAnotherAuthorityIsRefusedAtTheHandshake() throws Exception {
        Path foreign = TempDirs.create("foreign-pki-");
        try {
            CertificateAuthority other = CertificateAuthority.create("other", Duration.ofDays(1));
            IssuedCertificate mallory = other.issue(CertificateSpec.client("admin", List.of("system:masters"),
                    Duration.ofHours(1)));
            Files.copy(stateDir.resolve("pki/ca.crt"), foreign.resolve("ca.crt"));
            PemFiles.write(foreign.resolve("mallory.crt"), PemFiles.toPem(mallory.certificate()), false);
            PemFiles.write(foreign.resolve("mallory.key"), PemFiles.toPem(mallory.privateKey()), true);

            // curl presents the certificate whatever CA the server asks for, as an attacker would.
            Command.Result curl = Command.run(Duration.ofSeconds(20), List.of("curl", "-sS", "--max-time", "10",
                    "--cacert", foreign.resolve("ca.crt").toString(),
                    "--cert", foreign.resolve("mallory.crt").toString(),
                    "--key", foreign.resolve("mallory.key").toString(), admin.baseUrl() + "/metrics"));
            assertThat(curl.exitCode()).as("handshake refused: " + curl.output()).isNotZero();
            assertThat(curl.output()).doesNotContain("apiserver_request_total");

            // A client that only offers certificates from the CA the server names sends none: anonymous.
            HttpsClient javaClient = HttpsClient.withClientCertificate(admin.baseUrl(), foreign, "mallory");
            assertThat(javaClient.get("/metrics").statusCode()).isEqualTo(401);
        } finally {
            TempDirs.deleteRecursively(foreign);
        }
    }

    @Test
    void kubectlPrintsClientAndServerVersionsWithTheAdminKubeconfig() throws Exception {
        Command.Result result = Command.run(Duration.ofSeconds(30), List.of("kubectl", "version", "-o", "json",
                "--kubeconfig", stateDir.resolve("admin.kubeconfig").toString())).assertSuccess();

        JsonNode versions = JSON.readTree(result.output().substring(result.output().indexOf('{')));
        assertThat(versions.at("/clientVersion/gitVersion").asText()).startsWith("v1.");
        assertThat(versions.at("/serverVersion/gitVersion").asText()).startsWith("v1.32.0+flotilla.");
    }

    @Test
    void readinessNamesEtcdWhileItIsDownAndRecoversWithinFiveSecondsWithoutARestart() {
        etcd.stop();
        try {
            HttpResponse<String> down = Await.value(Duration.ofSeconds(10), "/readyz to fail",
                    () -> {
                        HttpResponse<String> r = anonymous.get("/readyz");
                        return r.statusCode() == 500 ? r : null;
                    });
            assertThat(down.body()).contains("[-]etcd failed: etcd at " + etcd.endpoint())
                    .contains("[+]postgresql ok").endsWith("readyz check failed\n");
            assertThat(anonymous.get("/livez").statusCode()).as("still alive").isEqualTo(200);
        } finally {
            etcd.startAgain();
        }
        Duration recovery = Await.until(Duration.ofSeconds(5), "/readyz to pass after etcd returned",
                () -> anonymous.get("/readyz").statusCode() == 200);
        assertThat(recovery).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void readinessNamesPostgresqlWhileItIsDownAndRecoversWithinFiveSecondsWithoutARestart() {
        postgres.stop();
        try {
            HttpResponse<String> down = Await.value(Duration.ofSeconds(10), "/readyz to fail",
                    () -> {
                        HttpResponse<String> r = anonymous.get("/readyz");
                        return r.statusCode() == 500 ? r : null;
                    });
            assertThat(down.body()).contains("[-]postgresql failed: PostgreSQL at jdbc:postgresql://127.0.0.1:"
                    + postgres.port()).contains("[+]etcd ok");
            assertThat(anonymous.get("/readyz/postgresql").statusCode()).isEqualTo(500);
            assertThat(anonymous.get("/readyz/etcd").statusCode()).isEqualTo(200);
        } finally {
            postgres.startAgain();
        }
        Duration recovery = Await.until(Duration.ofSeconds(5), "/readyz to pass after PostgreSQL returned",
                () -> anonymous.get("/readyz").statusCode() == 200);
        assertThat(recovery).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void restartKeepsTheClusterCaAndTheAdminKubeconfigKeepsWorking() throws Exception {
        String caBefore = Files.readString(stateDir.resolve("pki/ca.crt"));
        server.stop();
        server = startServer();
        String url = "https://127.0.0.1:" + server.port();
        anonymous = HttpsClient.anonymous(url, stateDir.resolve("pki"));
        admin = HttpsClient.withClientCertificate(url, stateDir.resolve("pki"), "admin");

        assertThat(Files.readString(stateDir.resolve("pki/ca.crt"))).isEqualTo(caBefore);
        Await.until(Duration.ofSeconds(30), "ready after restart", () -> anonymous.get("/readyz").statusCode() == 200);
        assertThat(admin.get("/metrics").statusCode()).isEqualTo(200);
        assertThat(Files.readString(stateDir.resolve("admin.kubeconfig"))).contains("server: https://127.0.0.1:"
                + server.port());
    }
}
