package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI documents as kubectl uses them, against the assembled server on a real etcd and
 * PostgreSQL: apply without {@code --validate=false} (kubectl reads {@code /openapi/v3} to learn that
 * the server takes {@code fieldValidation}) and explain (which renders the v3 schemas).
 */
class OpenApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EtcdServer etcd;
    private static PostgresServer postgres;
    private static Path stateDir;
    private static Path cacheDir;
    private static FlotillaServer server;

    @BeforeAll
    static void start() {
        etcd = EtcdServer.start();
        postgres = PostgresServer.start();
        stateDir = TempDirs.create("flotilla-openapi-");
        cacheDir = TempDirs.create("kubectl-cache-");
        server = FlotillaServer.start(
                "--flotilla.etcd.endpoints=" + etcd.endpoint(),
                "--flotilla.postgres.url=" + postgres.createDatabase("flotilla"),
                "--flotilla.postgres.username=" + PostgresServer.USER,
                "--flotilla.apiserver.bind-address=127.0.0.1",
                "--flotilla.apiserver.port=" + FreePorts.next(),
                "--flotilla.apiserver.state-dir=" + stateDir);
        HttpsClient anonymous = HttpsClient.anonymous("https://127.0.0.1:" + server.port(), stateDir.resolve("pki"));
        Await.until(Duration.ofSeconds(30), "the server to become ready",
                () -> anonymous.get("/readyz").statusCode() == 200);
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
        TempDirs.deleteRecursively(cacheDir);
    }

    @Test
    void applyValidatesThroughTheServerAndReapplyPatchesFromTheV3Schema() throws Exception {
        Command.Result created = kubectl("apply", "-f", manifest(2, "blue", true).toString(), "-v=6");

        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(created.output()).contains("namespace/openapi-it created", "configmap/settings created",
                "deployment.apps/web created");
        assertThat(created.output()).as("kubectl saw fieldValidation in the PATCH operation and left validation "
                + "to the server").contains("fieldValidation=Strict").doesNotContain("failed to download openapi");

        // The second apply is a strategic merge patch kubectl computes from the v3 schema (merge keys
        // included); the server must read it the same way: the sidecar and env var B go, the port stays.
        Command.Result configured = kubectl("apply", "-f", manifest(3, "green", false).toString());

        assertThat(configured.exitCode()).as(configured.output()).isZero();
        assertThat(configured.output()).contains("configmap/settings configured", "deployment.apps/web configured")
                .doesNotContain("warning");
        JsonNode deployment = JSON.readTree(ok("-n", "openapi-it", "get", "deployment", "web", "-o", "json").output());
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        JsonNode containers = deployment.at("/spec/template/spec/containers");
        assertThat(containers.size()).as(containers.toString()).isEqualTo(1);
        assertThat(containers.at("/0/name").asText()).isEqualTo("web");
        assertThat(containers.at("/0/image").asText()).isEqualTo("busybox:green");
        assertThat(containers.at("/0/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(containers.at("/0/env").toString()).isEqualTo("[{\"name\":\"A\",\"value\":\"1\"}]");
    }

    @Test
    void explainPrintsTheTypeOfDeploymentReplicas() {
        String output = ok("explain", "deployment.spec.replicas").output();

        assertThat(output).contains("GROUP:      apps", "KIND:       Deployment", "VERSION:    v1")
                .containsPattern("FIELD: *replicas <integer>");
    }

    @Test
    void explainListsTheFieldsOfPodContainers() {
        String output = ok("explain", "pods.spec.containers").output();

        assertThat(output).contains("KIND:       Pod").containsPattern("FIELD: *containers <\\[\\]Container>")
                .containsPattern("(?m)^\\s+image\\s+<string>").containsPattern("(?m)^\\s+ports\\s+<\\[\\]ContainerPort>");
    }

    @Test
    void rootDocumentListsGroupVersions() throws Exception {
        JsonNode root = JSON.readTree(ok("get", "--raw", "/openapi/v3").output());

        assertThat(root.at("/paths/api~1v1/serverRelativeURL").asText()).startsWith("/openapi/v3/api/v1?hash=");
        assertThat(root.at("/paths/apis~1apps~1v1/serverRelativeURL").asText()).startsWith("/openapi/v3/apis/apps/v1?hash=");
    }

    private static Path manifest(int replicas, String tag, boolean sidecar) throws Exception {
        Path file = stateDir.resolve("app-" + replicas + ".yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: openapi-it
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: openapi-it
                data:
                  color: %s
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: openapi-it
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: busybox:%s
                        ports:
                        - containerPort: 8080
                        env:
                        - {name: A, value: "1"}
                """.formatted(tag, replicas, tag) + (sidecar ? """
                        - {name: B, value: "2"}
                      - name: sidecar
                        image: busybox
                """ : ""));
        return file;
    }

    private static Command.Result ok(String... args) {
        return kubectl(args).assertSuccess();
    }

    /** kubectl with the admin kubeconfig and a cache of its own, so no document cached elsewhere is used. */
    private static Command.Result kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl",
                "--kubeconfig", stateDir.resolve("admin.kubeconfig").toString(),
                "--cache-dir", cacheDir.toString()));
        command.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(60), command);
    }
}
