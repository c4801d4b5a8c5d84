package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Await;
import dev.flotilla.server.FlotillaServer;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.HttpsClient;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CustomResourceDefinitions and custom resources through kubectl and the fabric8 client: discovery,
 * printer columns, explain, schema validation, pruning and defaults, scale and status subresources,
 * a second version, CRD deletion and an API server restart.
 */
class CustomResourcesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("stable.example.com").withVersion("v1").withKind("Widget").withPlural("widgets")
            .withNamespaced(true).build();
    private static ControlPlane cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = ControlPlane.start();
        client = cluster.fabric8Client();
        assertThat(ok("apply", "-f", resource("widgets.yaml").toString()).output())
                .contains("customresourcedefinition.apiextensions.k8s.io/widgets.stable.example.com created");
        ok("wait", "--for=condition=established", "--timeout=30s", "crd/widgets.stable.example.com");
        Await.until(Duration.ofSeconds(30), "widgets served", () -> cluster.kubectl("get", "widgets").exitCode() == 0);
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(client, cluster);
    }

    @Test
    void crdStatusAndDiscovery() throws Exception {
        JsonNode crd = JSON.readTree(ok("get", "crd", "widgets.stable.example.com", "-o", "json").output());
        assertThat(crd.at("/status/acceptedNames/kind").asText()).isEqualTo("Widget");
        assertThat(crd.at("/status/acceptedNames/listKind").asText()).isEqualTo("WidgetList");
        assertThat(crd.at("/status/storedVersions").toString()).isEqualTo("[\"v1\"]");
        assertThat(crd.at("/metadata/finalizers").toString()).contains("customresourcecleanup.apiextensions.k8s.io");
        assertThat(crd.at("/status/conditions").toString()).contains("\"NamesAccepted\"", "\"Established\"");

        String resources = ok("api-resources", "--api-group=stable.example.com").output();
        assertThat(resources).containsPattern("widgets\\s+wd\\s+stable.example.com/v1\\s+true\\s+Widget");
        assertThat(ok("api-versions").output()).contains("stable.example.com/v1\n", "stable.example.com/v1beta1\n");
        JsonNode v1 = JSON.readTree(ok("get", "--raw", "/apis/stable.example.com/v1").output());
        assertThat(v1.at("/resources").toString()).contains("\"widgets/status\"", "\"widgets/scale\"",
                "\"categories\":[\"all\",\"gadgets\"]", "\"singularName\":\"widget\"");
    }

    @Test
    void getShowsPrinterColumnsByShortNameAndCategory() throws Exception {
        apply("""
                apiVersion: stable.example.com/v1
                kind: Widget
                metadata: {name: columns, namespace: default}
                spec: {size: large, replicas: 2, color: red}
                """);
        String table = ok("get", "wd").output();
        assertThat(table).containsPattern("NAME\\s+SIZE\\s+REPLICAS\\s+READY\\s+AGE\\n")
                .containsPattern("columns\\s+large\\s+2\\s+\\d+s\\n");
        assertThat(ok("get", "wd", "-o", "wide").output()).containsPattern("AGE\\s+COLOR")
                .containsPattern("columns\\s+large\\s+2\\s+\\d+s\\s+red");
        assertThat(ok("get", "gadgets").output()).containsPattern("columns\\s+large\\s+2");
        assertThat(ok("get", "widget.stable.example.com/columns", "-o", "name").output().trim())
                .isEqualTo("widget.stable.example.com/columns");
    }

    @Test
    void explainShowsTheSchema() {
        String explained = ok("explain", "widget.spec.size").output();
        assertThat(explained).contains("GROUP:      stable.example.com", "KIND:       Widget", "VERSION:    v1",
                "FIELD: size <string>", "ENUM:\n    small\n    large", "How big the widget is.");
        assertThat(ok("explain", "widgets.spec").output()).contains("replicas", "<integer>", "size", "-required-");
    }

    @Test
    void schemaViolationsAreRejectedWithUpstreamCauses() throws Exception {
        Command.Result wrongType = cluster.kubectl("apply", "-f", cluster.file("bad.yaml", """
                apiVersion: stable.example.com/v1
                kind: Widget
                metadata: {name: bad, namespace: default}
                spec: {replicas: "three", color: "a-very-long-colour", name: "Bad1", port: true}
                """).toString());
        assertThat(wrongType.exitCode()).isEqualTo(1);
        assertThat(wrongType.output()).contains("The Widget \"bad\" is invalid:",
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
                "spec.size: Required value",
                "spec.color: Too long: may not be more than 10 bytes",
                "spec.name: Invalid value: \"Bad1\": spec.name in body should match '^[a-z]+$'",
                "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"");

        Command.Result outOfRange = cluster.kubectl("apply", "-f", cluster.file("range.yaml", """
                apiVersion: stable.example.com/v1
                kind: Widget
                metadata: {name: range, namespace: default}
                spec: {size: medium, replicas: 11}
                """).toString());
        assertThat(outOfRange.exitCode()).isEqualTo(1);
        assertThat(outOfRange.output()).contains(
                "spec.size: Unsupported value: \"medium\": supported values: \"small\", \"large\"",
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10");
    }

    @Test
    void unknownFieldsArePrunedAndDefaultsApplied() throws Exception {
        Path manifest = cluster.file("pruned.yaml", """
                apiVersion: stable.example.com/v1
                kind: Widget
                metadata: {name: pruned, namespace: default}
                spec: {size: small, foo: bar, port: 8080, labels: {a: b}, extra: {anything: [1, 2]}}
                """);
        Command.Result strict = cluster.kubectl("apply", "-f", manifest.toString());
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.output()).contains("strict decoding error: unknown field \"spec.foo\"");

        Command.Result warned = ok("apply", "--validate=warn", "-f", manifest.toString());
        assertThat(warned.output()).contains("unknown field \"spec.foo\"", "widget.stable.example.com/pruned created");
        JsonNode widget = JSON.readTree(ok("get", "widget", "pruned", "-o", "json").output());
        assertThat(widget.at("/spec").has("foo")).isFalse();
        assertThat(widget.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(widget.at("/spec/color").asText()).isEqualTo("blue");
        assertThat(widget.at("/spec/port").asInt()).isEqualTo(8080);
        assertThat(widget.at("/spec/extra/anything").toString()).isEqualTo("[1,2]");
        assertThat(widget.at("/metadata/generation").asInt()).isEqualTo(1);
    }

    @Test
    void scaleSubresourceServesKubectlScale() throws Exception {
        apply("""
                apiVersion: stable.example.com/v1
                kind: Widget
                metadata: {name: scaled, namespace: default}
                spec: {size: small, replicas: 1}
                """);
        assertThat(ok("scale", "widget", "scaled", "--replicas=4").output())
                .contains("widget.stable.example.com/scaled scaled");
        assertThat(ok("get", "widget", "scaled", "-o", "jsonpath={.spec.replicas}").output()).isEqualTo("4");
        JsonNode scale = JSON.readTree(ok("get", "--raw",
                "/apis/stable.example.com/v1/namespaces/default/widgets/scaled/scale").output());
        assertThat(scale.at("/kind").asText()).isEqualTo("Scale");
        assertThat(scale.at("/spec/replicas").asInt()).isEqualTo(4);
        Command.Result tooMany = cluster.kubectl("scale", "widget", "scaled", "--replicas=11");
        assertThat(tooMany.exitCode()).isEqualTo(1);
        assertThat(tooMany.output()).contains(
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10");
    }

    @Test
    void statusSubresourceIsSeparateFromTheMainResource() {
        var widgets = client.genericKubernetesResources(WIDGETS).inNamespace("default");
        GenericKubernetesResource created = widgets.resource(widget("split", Map.of("size", "small"))).create();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

        GenericKubernetesResource withStatus = new GenericKubernetesResourceBuilder(created).build();
        withStatus.getAdditionalProperties().put("status", Map.of("replicas", 3,
                "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
        withStatus.getAdditionalProperties().put("spec", Map.of("size", "large"));
        GenericKubernetesResource afterStatus = widgets.resource(withStatus).updateStatus();
        assertThat(afterStatus.get("spec", "size").toString()).isEqualTo("small");
        assertThat(afterStatus.get("status", "replicas").toString()).isEqualTo("3");
        assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(1L);

        GenericKubernetesResource mainUpdate = new GenericKubernetesResourceBuilder(afterStatus).build();
        mainUpdate.getAdditionalProperties().put("spec", Map.of("size", "large"));
        mainUpdate.getAdditionalProperties().put("status", Map.of("replicas", 9));
        GenericKubernetesResource afterMain = widgets.resource(mainUpdate).update();
        assertThat(afterMain.get("spec", "size").toString()).isEqualTo("large");
        assertThat(afterMain.get("status", "replicas").toString()).isEqualTo("3");
        assertThat(afterMain.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(ok("get", "widget", "split").output()).containsPattern("split\\s+large\\s+1\\s+True");

        assertThatThrownBy(() -> widgets.resource(widget("split-bad", Map.of("replicas", -1))).create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining("spec.replicas in body should be greater than or equal to 0");
        widgets.withName("split").delete();
        Await.until(Duration.ofSeconds(10), "widget deleted", () -> widgets.withName("split").get() == null);
    }

    @Test
    void aSecondVersionServesTheSameObjects() throws Exception {
        apply("""
                apiVersion: stable.example.com/v1beta1
                kind: Widget
                metadata: {name: versioned, namespace: default}
                spec: {size: small}
                """);
        JsonNode atV1 = JSON.readTree(ok("get", "--raw",
                "/apis/stable.example.com/v1/namespaces/default/widgets/versioned").output());
        assertThat(atV1.at("/apiVersion").asText()).isEqualTo("stable.example.com/v1");
        assertThat(atV1.at("/spec/color").asText()).isEqualTo("green");
        JsonNode atV2 = JSON.readTree(ok("get", "widgets.v1beta1.stable.example.com", "versioned", "-o", "json").output());
        assertThat(atV2.at("/apiVersion").asText()).isEqualTo("stable.example.com/v1beta1");
        JsonNode list = JSON.readTree(ok("get", "--raw", "/apis/stable.example.com/v1beta1/widgets").output());
        assertThat(list.at("/kind").asText()).isEqualTo("WidgetList");
        list.at("/items").forEach(item -> assertThat(item.at("/apiVersion").asText()).isEqualTo("stable.example.com/v1beta1"));
    }

    @Test
    void clusterScopedCustomResourcesWithTheFabric8Client() throws Exception {
        ok("apply", "-f", cluster.file("gizmos.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gizmos.ops.example.com}
                spec:
                  group: ops.example.com
                  scope: Cluster
                  names: {plural: gizmos, kind: Gizmo}
                  versions:
                  - name: v1alpha1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              level: {type: integer}
                """).toString());
        ok("wait", "--for=condition=established", "--timeout=30s", "crd/gizmos.ops.example.com");
        ResourceDefinitionContext gizmos = new ResourceDefinitionContext.Builder().withGroup("ops.example.com")
                .withVersion("v1alpha1").withKind("Gizmo").withPlural("gizmos").withNamespaced(false).build();
        Await.until(Duration.ofSeconds(30), "gizmos served", () -> cluster.kubectl("get", "gizmos").exitCode() == 0);
        GenericKubernetesResource gizmo = new GenericKubernetesResourceBuilder().withApiVersion("ops.example.com/v1alpha1")
                .withKind("Gizmo").withNewMetadata().withName("g1").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("level", 1))).build();
        client.genericKubernetesResources(gizmos).resource(gizmo).create();
        client.genericKubernetesResources(gizmos).withName("g1")
                .edit(g -> {
                    g.getAdditionalProperties().put("spec", Map.of("level", 5));
                    return g;
                });
        assertThat(ok("get", "gizmo", "g1", "-o", "jsonpath={.spec.level}").output()).isEqualTo("5");
        assertThat(ok("get", "gizmos").output()).containsPattern("NAME\\s+AGE\\ng1\\s+\\d+s");
        ok("patch", "gizmo", "g1", "--type=merge", "-p", "{\"spec\":{\"level\":7}}");
        assertThat(ok("get", "gizmo", "g1", "-o", "jsonpath={.spec.level}").output()).isEqualTo("7");
        assertThat(client.genericKubernetesResources(gizmos).withName("g1").delete()).hasSize(1);
        assertThat(client.genericKubernetesResources(gizmos).list().getItems()).isEmpty();
    }

    @Test
    void invalidDefinitionsAreRejected() {
        Command.Result result = cluster.kubectl("apply", "-f", cluster.file("badcrd.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: foos.example}
                spec:
                  group: example
                  scope: Regional
                  names: {plural: foos, kind: Foo}
                  conversion: {strategy: Webhook}
                  versions:
                  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
                  - {name: v2, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
                """).toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("The CustomResourceDefinition \"foos.example\" is invalid:",
                "spec.group: Invalid value: \"example\": should be a domain with at least one dot",
                "spec.scope: Unsupported value: \"Regional\": supported values: \"Cluster\", \"Namespaced\"",
                "spec.versions: Invalid value: [v1, v2]: must have exactly one version marked as storage version",
                "spec.conversion.strategy: Unsupported value: \"Webhook\"");

        Command.Result mismatch = cluster.kubectl("apply", "-f", cluster.file("mismatch.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: bars.example.com}
                spec:
                  group: other.example.com
                  scope: Namespaced
                  names: {plural: bars, kind: Bar}
                  versions:
                  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, properties: {spec: {properties: {a: {type: string}}}}}}}
                """).toString());
        assertThat(mismatch.exitCode()).isEqualTo(1);
        assertThat(mismatch.output()).contains(
                "metadata.name: Invalid value: \"bars.example.com\": must be spec.names.plural+\".\"+spec.group",
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty "
                        + "for specified object fields");
    }

    @Test
    void validationRulesRefuseObjectsWithUpstreamMessages() throws Exception {
        define(resource("gauges.yaml"), "gauges.rules.example.com", "gauges");

        Command.Result invalid = cluster.kubectl("apply", "-f", cluster.file("badgauge.yaml", """
                apiVersion: rules.example.com/v1
                kind: Gauge
                metadata: {name: bad, namespace: default}
                spec: {min: 5, max: 200, ports: [{name: web, port: 80}, {name: none, port: 0}]}
                """).toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.output()).contains("The Gauge \"bad\" is invalid:",
                "spec: Invalid value: \"object\": max is 200, at most 100",
                "spec.ports: Invalid value: \"array\": failed rule: self.all(p, p.port > 0 && p.port < 65536)");
        Command.Result crossed = cluster.kubectl("apply", "-f", cluster.file("crossed.yaml", """
                apiVersion: rules.example.com/v1
                kind: Gauge
                metadata: {name: crossed, namespace: default}
                spec: {min: 50, max: 20}
                """).toString());
        assertThat(crossed.exitCode()).isEqualTo(1);
        assertThat(crossed.output()).contains(
                "The Gauge \"crossed\" is invalid: spec: Invalid value: \"object\": min must not exceed max");
        assertThat(cluster.kubectl("get", "gauge", "bad").exitCode()).isEqualTo(1);

        String gauge = """
                apiVersion: rules.example.com/v1
                kind: Gauge
                metadata: {name: good, namespace: default}
                spec: {min: 1, max: 10, zone: %s, ports: [{name: web, port: 80}]}
                """;
        apply(gauge.formatted("east"));
        apply(gauge.formatted("east").replace("max: 10", "max: 20"));
        Command.Result moved = cluster.kubectl("apply", "-f", cluster.file("moved.yaml", gauge.formatted("west"))
                .toString());
        assertThat(moved.exitCode()).isEqualTo(1);
        assertThat(moved.output()).contains("\"good\" is invalid: spec.zone: Invalid value: \"string\": zone is immutable");
        assertThat(ok("get", "gauge", "good", "-o", "jsonpath={.spec.zone} {.spec.max}").output()).isEqualTo("east 20");
        ok("delete", "crd", "gauges.rules.example.com", "--timeout=60s");
    }

    @Test
    void deletingTheDefinitionDeletesItsResources() throws Exception {
        String crd = """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.temp.example.com}
                spec:
                  group: temp.example.com
                  scope: Namespaced
                  names: {plural: things, kind: Thing}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """;
        Path manifest = cluster.file("things.yaml", crd);
        define(manifest, "things.temp.example.com", "things");
        for (String name : List.of("one", "two")) {
            apply("""
                    apiVersion: temp.example.com/v1
                    kind: Thing
                    metadata: {name: %s, namespace: default}
                    data: {anything: goes}
                    """.formatted(name));
        }
        assertThat(ok("get", "things", "-o", "name").output()).contains("thing.temp.example.com/one",
                "thing.temp.example.com/two");

        assertThat(ok("delete", "crd", "things.temp.example.com", "--timeout=60s").output())
                .contains("customresourcedefinition.apiextensions.k8s.io \"things.temp.example.com\" deleted");
        Command.Result gone = cluster.kubectl("get", "--raw", "/apis/temp.example.com/v1/namespaces/default/things");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.output()).contains("NotFound");
        assertThat(cluster.kubectl("get", "--raw", "/apis/temp.example.com").exitCode()).isEqualTo(1);

        ok("apply", "-f", manifest.toString());
        ok("wait", "--for=condition=established", "--timeout=30s", "crd/things.temp.example.com");
        Await.until(Duration.ofSeconds(30), "things served again",
                () -> cluster.kubectl("get", "things").exitCode() == 0);
        assertThat(ok("get", "things", "-o", "name").output().trim()).isEmpty();

        // A resource with a finalizer of its own holds the CRD in Terminating, which refuses new objects.
        apply("""
                apiVersion: temp.example.com/v1
                kind: Thing
                metadata: {name: held, namespace: default, finalizers: [example.com/hold]}
                """);
        ok("delete", "crd", "things.temp.example.com", "--wait=false");
        Await.until(Duration.ofSeconds(30), "held thing marked for deletion", () -> !cluster.kubectl("get", "thing",
                "held", "-o", "jsonpath={.metadata.deletionTimestamp}").output().isBlank());
        Command.Result refused = cluster.kubectl("apply", "-f", cluster.file("late.yaml", """
                apiVersion: temp.example.com/v1
                kind: Thing
                metadata: {name: late, namespace: default}
                """).toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("create not allowed while custom resource definition is terminating");
        assertThat(ok("get", "crd", "things.temp.example.com", "-o", "name").output())
                .contains("things.temp.example.com");
        ok("patch", "thing", "held", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
        Await.until(Duration.ofSeconds(30), "CRD gone once its last resource is",
                () -> cluster.kubectl("get", "crd", "things.temp.example.com").exitCode() == 1);
    }

    @Test
    void aSecondApiServerLearnsDefinitionsFromEtcd() throws Exception {
        FlotillaServer other = cluster.startAnotherServer();
        try {
            HttpsClient second = cluster.admin(other);
            ok("apply", "-f", cluster.file("sprockets.yaml", """
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata: {name: sprockets.shared.example.com}
                    spec:
                      group: shared.example.com
                      scope: Namespaced
                      names: {plural: sprockets, kind: Sprocket, shortNames: [spr]}
                      versions:
                      - name: v1
                        served: true
                        storage: true
                        schema:
                          openAPIV3Schema:
                            type: object
                            properties:
                              spec: {type: object, properties: {teeth: {type: integer, default: 12}}}
                    """).toString());
            Await.until(Duration.ofSeconds(30), "second server serves sprockets",
                    () -> second.get("/apis/shared.example.com/v1").statusCode() == 200);
            assertThat(second.get("/apis/shared.example.com/v1").body()).contains("\"spr\"");
            apply("""
                    apiVersion: shared.example.com/v1
                    kind: Sprocket
                    metadata: {name: s1, namespace: default}
                    spec: {}
                    """);
            JsonNode read = JSON.readTree(second.get("/apis/shared.example.com/v1/namespaces/default/sprockets/s1").body());
            assertThat(read.at("/spec/teeth").asInt()).isEqualTo(12);
            ok("delete", "crd", "sprockets.shared.example.com");
            Await.until(Duration.ofSeconds(30), "second server stops serving sprockets",
                    () -> second.get("/apis/shared.example.com/v1").statusCode() == 404);
        } finally {
            other.stop();
        }
    }

    @Test
    void definitionsSurviveAnApiServerRestart() throws Exception {
        apply("""
                apiVersion: stable.example.com/v1
                kind: Widget
                metadata: {name: durable, namespace: default}
                spec: {size: large}
                """);
        cluster.restartServer();
        Await.until(Duration.ofSeconds(30), "widgets served after the restart",
                () -> cluster.kubectl("get", "widget", "durable").exitCode() == 0);
        assertThat(ok("get", "wd", "durable").output()).containsPattern("durable\\s+large\\s+1");
    }

    private static GenericKubernetesResource widget(String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion("stable.example.com/v1").withKind("Widget")
                .withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withAdditionalProperties(Map.of("spec", spec)).build();
    }

    /** Applies a CRD and waits until it is established and its resources are served. */
    private static void define(Path manifest, String name, String plural) {
        ok("apply", "-f", manifest.toString());
        ok("wait", "--for=condition=established", "--timeout=30s", "crd/" + name);
        Await.until(Duration.ofSeconds(30), plural + " served", () -> cluster.kubectl("get", plural).exitCode() == 0);
    }

    private static void apply(String manifest) {
        ok("apply", "-f", cluster.file("object.yaml", manifest).toString());
    }

    private static Path resource(String name) throws IOException {
        try (InputStream in = CustomResourcesIT.class.getResourceAsStream("/crd/" + name)) {
            return cluster.file(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Command.Result ok(String... args) {
        Command.Result result = cluster.kubectl(args);
        assertThat(result.exitCode()).as("kubectl %s: %s", String.join(" ", args), result.output()).isZero();
        return result;
    }
}
