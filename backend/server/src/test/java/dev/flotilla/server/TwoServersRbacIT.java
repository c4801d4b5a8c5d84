package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.api.rbac.BootstrapPolicy;
import dev.flotilla.apiserver.pki.ClusterCertificates;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.EtcdServer;
import dev.flotilla.testsupport.FreePorts;
import dev.flotilla.testsupport.HttpsClient;
import dev.flotilla.testsupport.PostgresServer;
import dev.flotilla.testsupport.TempDirs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two API servers started together on one etcd: the default RBAC policy is created once and
 * aggregated, and a binding written through one server takes effect on the other within a second.
 * Each server has its own state directory (the certificate file lock is per process, and both run
 * in this JVM), so each has its own CA; the RBAC policy they share lives in etcd.
 */
class TwoServersRbacIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";

    private static EtcdServer etcd;
    private static PostgresServer postgres;
    private static final List<Path> stateDirs = new ArrayList<>();
    private static final List<FlotillaServer> servers = new ArrayList<>();

    @BeforeAll
    static void start() {
        etcd = EtcdServer.start();
        postgres = PostgresServer.start();
        stateDirs.add(TempDirs.create("flotilla-two-a-"));
        stateDirs.add(TempDirs.create("flotilla-two-b-"));
        String database = postgres.createDatabase("flotilla");
        List<CompletableFuture<FlotillaServer>> starting = stateDirs.stream()
                .map(dir -> CompletableFuture.supplyAsync(() -> startServer(database, dir))).toList();
        starting.forEach(f -> servers.add(f.join()));
        for (int i = 0; i < servers.size(); i++) {
            HttpsClient probe = HttpsClient.anonymous(url(servers.get(i)), stateDirs.get(i).resolve("pki"));
            Await.until(Duration.ofSeconds(30), "server ready", () -> probe.get("/readyz").statusCode() == 200);
        }
    }

    private static FlotillaServer startServer(String database, Path stateDir) {
        return FlotillaServer.start(
                "--flotilla.etcd.endpoints=" + etcd.endpoint(),
                "--flotilla.postgres.url=" + database,
                "--flotilla.postgres.username=" + PostgresServer.USER,
                "--flotilla.apiserver.bind-address=127.0.0.1",
                "--flotilla.apiserver.port=" + FreePorts.next(),
                "--flotilla.apiserver.state-dir=" + stateDir);
    }

    @AfterAll
    static void stop() {
        servers.forEach(FlotillaServer::stop);
        if (etcd != null) {
            etcd.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        stateDirs.forEach(TempDirs::deleteRecursively);
    }

    @Test
    void theDefaultPolicyExistsOnceAndIsAggregated() throws Exception {
        HttpsClient admin = client(0, "admin");
        JsonNode roles = JSON.readTree(admin.get(RBAC + "/clusterroles").body()).path("items");
        List<String> names = new ArrayList<>();
        roles.forEach(r -> names.add(r.path("metadata").path("name").asText()));
        for (var role : BootstrapPolicy.clusterRoles()) {
            assertThat(names).as("bootstrap roles").containsOnlyOnce(role.getMetadata().getName());
        }
        Await.until(Duration.ofSeconds(10), "admin aggregates edit and view", () -> {
            String rules = admin.get(RBAC + "/clusterroles/admin").body();
            return rules.contains("rolebindings") && rules.contains("deployments") && rules.contains("configmaps");
        });
        String bindings = admin.get(RBAC + "/clusterrolebindings/cluster-admin").body();
        assertThat(JSON.readTree(bindings).path("subjects")).hasSize(1);
    }

    @Test
    void aBindingWrittenThroughOneServerTakesEffectOnTheOtherWithinOneSecond() {
        for (FlotillaServer server : servers) {
            server.context().getBean(ClusterCertificates.class).clientKubeconfig("user-zoe", "zoe", List.of());
        }
        HttpsClient zoeOnB = client(1, "user-zoe");
        HttpsClient zoeOnA = client(0, "user-zoe");
        String path = "/api/v1/namespaces/default/configmaps";
        assertThat(zoeOnB.get(path).statusCode()).isEqualTo(403);

        String binding = """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
                 "metadata":{"name":"zoe-view","namespace":"default"},
                 "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
                 "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"zoe"}]}""";
        HttpsClient adminOnA = client(0, "admin");
        HttpResponse<String> created = adminOnA.send(HttpRequest.newBuilder(
                        URI.create(adminOnA.baseUrl() + RBAC + "/namespaces/default/rolebindings"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(binding)).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Await.until(Duration.ofSeconds(1), "binding effective on the other server",
                () -> zoeOnB.get(path).statusCode() == 200);

        HttpsClient adminOnB = client(1, "admin");
        HttpResponse<String> deleted = adminOnB.send(HttpRequest.newBuilder(
                URI.create(adminOnB.baseUrl() + RBAC + "/namespaces/default/rolebindings/zoe-view")).DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(200);
        Await.until(Duration.ofSeconds(1), "deletion effective on the first server",
                () -> zoeOnA.get(path).statusCode() == 403);
    }

    private static HttpsClient client(int server, String name) {
        return HttpsClient.withClientCertificate(url(servers.get(server)), stateDirs.get(server).resolve("pki"), name);
    }

    private static String url(FlotillaServer server) {
        return "https://127.0.0.1:" + server.port();
    }
}
