package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server-side apply and managedFields as kubectl and the fabric8 client use them: apply creating and
 * changing objects, conflicts between managers and forcing them, fields dropped from a manifest,
 * diff and dry runs, and the managedFields every write records.
 */
class ServerSideApplyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "ssa";
    private static ControlPlane cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = ControlPlane.start();
        client = cluster.fabric8Client();
        ok("create", "namespace", NS);
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(client, cluster);
    }

    @Test
    void applyOfAMultiDocumentManifestCreatesThenChangesAndRecordsTheApplier() throws Exception {
        Path manifest = cluster.file("ssa-app.yaml", app(2, "b"));
        assertThat(ok("apply", "--server-side", "-f", manifest.toString()).output())
                .contains("configmap/app-settings serverside-applied", "deployment.apps/app serverside-applied");

        Path changed = cluster.file("ssa-app.yaml", app(3, "c"));
        assertThat(ok("apply", "--server-side", "-f", changed.toString()).output())
                .contains("configmap/app-settings serverside-applied", "deployment.apps/app serverside-applied");
        JsonNode deployment = getJson("deployment", "app");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(deployment.at("/metadata/generation").asInt()).isEqualTo(2);
        assertThat(ok("-n", NS, "get", "configmap", "app-settings", "-o", "jsonpath={.data.mode}").output())
                .isEqualTo("c");

        String yaml = ok("-n", NS, "get", "deployment", "app", "-o", "yaml", "--show-managed-fields").output();
        assertThat(yaml).contains("managedFields:", "manager: kubectl", "operation: Apply", "fieldsType: FieldsV1",
                "f:replicas: {}", "k:{\"name\":\"web\"}:", "k:{\"name\":\"sidecar\"}:");
        assertThat(ok("-n", NS, "get", "deployment", "app", "-o", "yaml").output()).doesNotContain("managedFields");
    }

    @Test
    void conflictingManagersFailUntilForcedAndTheForcerTakesTheField() throws Exception {
        ok("apply", "--server-side", "--field-manager=first", "-f", cluster.file("ssa-cm1.yaml", configMap("shared",
                "key: a")).toString());
        Path second = cluster.file("ssa-cm2.yaml", configMap("shared", "key: b"));

        Command.Result conflict = cluster.kubectl("apply", "--server-side", "--field-manager=second", "-f",
                second.toString());
        assertThat(conflict.exitCode()).isNotZero();
        assertThat(conflict.output())
                .contains("Apply failed with 1 conflict: conflict with \"first\": .data.key")
                .contains("--force-conflicts");
        assertThat(ok("-n", NS, "get", "configmap", "shared", "-o", "jsonpath={.data.key}").output()).isEqualTo("a");

        assertThat(ok("apply", "--server-side", "--field-manager=second", "--force-conflicts", "-f",
                second.toString()).output()).contains("configmap/shared serverside-applied");
        JsonNode cm = getJson("configmap", "shared");
        assertThat(cm.at("/data/key").asText()).isEqualTo("b");
        assertThat(fieldsOf(cm, "second").has("f:data")).isTrue();
        assertThat(fieldsOf(cm, "first").path("f:data").has("f:key")).isFalse();
    }

    @Test
    void applyOverAFieldAnUpdaterChangedConflictsNamingTheUpdater() throws Exception {
        Path manifest = cluster.file("ssa-scaled.yaml", app(1, "x").replace("name: app", "name: scaled"));
        ok("apply", "--server-side", "-f", manifest.toString());
        ok("-n", NS, "patch", "deployment", "scaled", "--type=merge", "-p", "{\"spec\":{\"replicas\":5}}");

        Command.Result conflict = cluster.kubectl("apply", "--server-side", "-f", manifest.toString());
        assertThat(conflict.exitCode()).isNotZero();
        assertThat(conflict.output())
                .contains("Apply failed with 1 conflict: conflict with \"kubectl-patch\" using apps/v1: .spec.replicas");

        // kubectl scale sends no fieldManager: the name comes from its User-Agent, and it takes replicas over.
        ok("-n", NS, "scale", "deployment", "scaled", "--replicas=4");
        JsonNode scaled = getJson("deployment", "scaled");
        assertThat(scaled.at("/metadata/managedFields").findValuesAsText("manager")).doesNotContain("kubectl-patch");
        // The Deployment controller's own Update entries sit beside kubectl's, so find kubectl's by name.
        JsonNode scaler = java.util.stream.StreamSupport.stream(scaled.at("/metadata/managedFields").spliterator(), false)
                .filter(entry -> entry.path("manager").asText().equals("kubectl")
                        && entry.path("operation").asText().equals("Update"))
                .findFirst().orElseThrow();
        assertThat(scaler.path("subresource").asText()).isEqualTo("scale");
        assertThat(cluster.kubectl("apply", "--server-side", "-f", manifest.toString()).output())
                .contains("conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas");
    }

    @Test
    void aFieldDroppedFromTheManifestIsRemovedFromTheObject() throws Exception {
        ok("apply", "--server-side", "-f", cluster.file("ssa-drop1.yaml", configMap("dropping", "a: '1'\n  b: '2'"))
                .toString());
        ok("apply", "--server-side", "-f", cluster.file("ssa-drop2.yaml", configMap("dropping", "a: '1'")).toString());
        JsonNode cm = getJson("configmap", "dropping");
        assertThat(cm.path("data").size()).isEqualTo(1);
        assertThat(cm.at("/data/a").asText()).isEqualTo("1");
    }

    @Test
    void diffAndServerDryRunShowTheChangeWithoutMakingIt() throws Exception {
        ok("apply", "--server-side", "-f", cluster.file("ssa-dry1.yaml", configMap("dry", "mode: old")).toString());
        Path changed = cluster.file("ssa-dry2.yaml", configMap("dry", "mode: new"));

        Command.Result diff = cluster.kubectl("diff", "--server-side", "-f", changed.toString());
        assertThat(diff.exitCode()).as(diff.output()).isEqualTo(1);
        assertThat(diff.output()).contains("-  mode: old", "+  mode: new");

        assertThat(ok("apply", "--server-side", "--dry-run=server", "-f", changed.toString()).output())
                .contains("configmap/dry serverside-applied (server dry run)");
        assertThat(ok("-n", NS, "get", "configmap", "dry", "-o", "jsonpath={.data.mode}").output()).isEqualTo("old");
    }

    @Test
    void everyWriteRecordsItsManager() throws Exception {
        ok("-n", NS, "create", "configmap", "plain", "--from-literal=a=1");
        ok("-n", NS, "label", "configmap", "plain", "team=x");
        JsonNode cm = getJson("configmap", "plain");
        assertThat(fieldsOf(cm, "kubectl-create").path("f:data").has("f:a")).isTrue();
        JsonNode labeller = fieldsOf(cm, "kubectl-label");
        assertThat(labeller.path("f:metadata").path("f:labels").has("f:team")).isTrue();
        for (JsonNode entry : cm.at("/metadata/managedFields")) {
            assertThat(entry.path("operation").asText()).isEqualTo("Update");
            assertThat(entry.path("apiVersion").asText()).isEqualTo("v1");
            assertThat(entry.path("time").asText()).isNotEmpty();
        }

        Command.Result tooLong = cluster.kubectl("-n", NS, "create", "configmap", "named", "--field-manager="
                + "m".repeat(129));
        assertThat(tooLong.exitCode()).isNotZero();
        assertThat(tooLong.output()).contains("fieldManager: Too long: may not be more than 128 bytes");
    }

    @Test
    void fabric8ServerSideApplyWithForceConflicts() {
        ConfigMap applied = client.configMaps().inNamespace(NS).resource(fabric8Map("v1"))
                .fieldManager("fabric8-app").forceConflicts().serverSideApply();
        assertThat(applied.getData()).containsEntry("k", "v1");
        assertThat(applied.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager,
                ManagedFieldsEntry::getOperation).containsExactly(org.assertj.core.groups.Tuple.tuple("fabric8-app",
                "Apply"));

        assertThatThrownBy(() -> client.configMaps().inNamespace(NS).resource(fabric8Map("other"))
                .fieldManager("rival").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getDetails().getCauses()).singleElement()
                            .satisfies(c -> assertThat(c.getField()).isEqualTo(".data.k"));
                });
        ConfigMap forced = client.configMaps().inNamespace(NS).resource(fabric8Map("other"))
                .fieldManager("rival").forceConflicts().serverSideApply();
        assertThat(forced.getData()).containsEntry("k", "other");
    }

    @Test
    void applyWithoutAFieldManagerIsRejectedAndStatusIsAppliedThroughItsSubresource() throws Exception {
        HttpResponse<String> missing = patch("/api/v1/namespaces/" + NS + "/configmaps/nomanager",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"nomanager\"}}");
        assertThat(missing.code()).isEqualTo(422);
        assertThat(JSON.readTree(missing.body()).path("message").asText()).isEqualTo(
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");

        ok("-n", NS, "create", "service", "clusterip", "lb", "--tcp=80:80");
        HttpResponse<String> status = patch("/api/v1/namespaces/" + NS + "/services/lb/status?fieldManager=lb-ctl",
                "apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nstatus:\n  loadBalancer:\n"
                        + "    ingress: [{ip: 10.9.9.9}]\n");
        assertThat(status.code()).as(status.body()).isEqualTo(200);
        JsonNode service = getJson("service", "lb");
        assertThat(service.at("/status/loadBalancer/ingress/0/ip").asText()).isEqualTo("10.9.9.9");
        JsonNode entry = entryOf(service, "lb-ctl");
        assertThat(entry.path("subresource").asText()).isEqualTo("status");
        assertThat(entry.path("operation").asText()).isEqualTo("Apply");
        assertThat(entry.path("fieldsV1").has("f:spec")).isFalse();
    }

    @Test
    void badApplyBodiesAndManagedFieldsAreClientErrors() throws Exception {
        String url = "/api/v1/namespaces/" + NS + "/configmaps/odd";
        assertThat(patch(url + "?fieldManager=m", "[]").code()).isEqualTo(400);
        assertThat(patch(url + "?fieldManager=m", "apiVersion: v1\nkind: ConfigMap\ndata: {a: [1]}\n").code())
                .isEqualTo(400);
        assertThat(patch(url + "?fieldManager=m", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}").code()).isEqualTo(400);
        assertThat(patch(url + "?fieldManager=m", "{\"metadata\":{\"name\":\"other\"}}").code()).isEqualTo(400);
        HttpResponse<String> control = patch(url + "?fieldManager=a%07b", "{\"data\":{\"a\":\"1\"}}");
        assertThat(control.code()).isEqualTo(422);
        assertThat(JSON.readTree(control.body()).path("message").asText())
                .contains("fieldManager: Invalid value: \"a\\ab\": invalid character U+0007 (at position 1)");

        assertThat(patch(url + "?fieldManager=m", "{\"data\":{\"a\":\"1\"}}").code()).isEqualTo(201);
        HttpResponse<String> forced = send("PATCH", url + "?force=true", "application/merge-patch+json",
                "{\"data\":{\"b\":\"2\"}}");
        assertThat(forced.code()).isEqualTo(422);
        assertThat(JSON.readTree(forced.body()).path("message").asText())
                .isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for "
                        + "non-apply patch");

        HttpResponse<String> garbage = send("PATCH", url, "application/merge-patch+json",
                "{\"metadata\":{\"managedFields\":[{\"manager\":\"x\",\"fieldsV1\":{\"nonsense\":{}}}]}}");
        assertThat(garbage.code()).as(garbage.body()).isEqualTo(200);
        HttpResponse<String> cleared = send("PATCH", url, "application/merge-patch+json",
                "{\"metadata\":{\"managedFields\":[{}]}}");
        assertThat(cleared.code()).isEqualTo(200);
        assertThat(JSON.readTree(cleared.body()).at("/metadata").has("managedFields")).isFalse();
    }

    private static HttpResponse<String> patch(String path, String body) throws Exception {
        return send("PATCH", path, "application/apply-patch+yaml", body);
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body)
            throws Exception {
        HttpClient http = client.getHttpClient();
        String base = client.getConfiguration().getMasterUrl().replaceAll("/$", "");
        return http.sendAsync(http.newHttpRequestBuilder().uri(base + path)
                .method(method, contentType, body).build(), String.class).get();
    }

    private static ConfigMap fabric8Map(String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("from-fabric8").endMetadata()
                .withData(Map.of("k", value)).build();
    }

    private static JsonNode entryOf(JsonNode object, String manager) {
        for (JsonNode entry : object.at("/metadata/managedFields")) {
            if (entry.path("manager").asText().equals(manager)) {
                return entry;
            }
        }
        throw new AssertionError("no managedFields entry for " + manager + " in " + object.at("/metadata"));
    }

    private static JsonNode fieldsOf(JsonNode object, String manager) {
        return entryOf(object, manager).path("fieldsV1");
    }

    private static JsonNode getJson(String kind, String name) throws Exception {
        return JSON.readTree(ok("-n", NS, "get", kind, name, "-o", "json", "--show-managed-fields").output());
    }

    private static String configMap(String name, String data) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: ssa
                data:
                  %s
                """.formatted(name, data);
    }

    /** A ConfigMap and a two-container Deployment: containers are an associative list keyed by name. */
    private static String app(int replicas, String mode) {
        return configMap("app-settings", "mode: " + mode) + """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app, namespace: ssa, labels: {tier: web}}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: web, image: busybox}
                      - {name: sidecar, image: busybox, args: [sleep, "3600"]}
                """.formatted(replicas);
    }

    private static Command.Result ok(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }

}
