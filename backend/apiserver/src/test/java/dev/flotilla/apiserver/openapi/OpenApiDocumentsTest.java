package dev.flotilla.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenApiDocumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENT = "/apis/apps/v1/namespaces/{namespace}/deployments/{name}";

    private final ResourceRegistry registry = new ResourceRegistry();
    private final OpenApiDocuments documents = new OpenApiDocuments(registry, "v1.32.0+test");

    @Test
    void rootListsEveryGroupVersionWithAHashedUrl() {
        JsonNode root = read(documents.current().root());

        JsonNode paths = root.get("paths");
        assertThat(names(paths)).contains("api/v1", "apis/apps/v1", "apis/batch/v1", "apis/autoscaling/v1",
                "apis/autoscaling/v2", "apis/rbac.authorization.k8s.io/v1", "apis/authorization.k8s.io/v1");
        for (String gv : names(paths)) {
            ServedDocument document = documents.current().groupVersion(gv).orElseThrow();
            assertThat(paths.get(gv).get("serverRelativeURL").asText())
                    .isEqualTo("/openapi/v3/" + gv + "?hash=" + document.hash());
        }
        assertThat(registry.all().stream().map(OpenApiDocuments::groupVersionPath).distinct())
                .allSatisfy(gv -> assertThat(paths.has(gv)).as(gv).isTrue());
    }

    @Test
    void everyGroupVersionDocumentIsSelfContainedOpenApi3() {
        for (String gv : names(read(documents.current().root()).get("paths"))) {
            JsonNode document = read(documents.current().groupVersion(gv).orElseThrow());

            assertThat(document.get("openapi").asText()).isEqualTo("3.0.0");
            assertThat(document.get("paths").size()).as(gv).isPositive();
            assertThat(document.at("/components/schemas").size()).as(gv).isPositive();
            assertThat(danglingRefs(document)).as("unresolved $refs in " + gv).isEmpty();
            String prefix = gv.equals("api/v1") ? "/api/v1/" : "/" + gv + "/";
            assertThat(names(document.get("paths"))).allSatisfy(p -> assertThat(p).startsWith(prefix));
        }
    }

    @Test
    void everyOperationNamesItsActionAndAKindTheDocumentDescribes() {
        for (String gv : names(read(documents.current().root()).get("paths"))) {
            JsonNode document = read(documents.current().groupVersion(gv).orElseThrow());
            ExplainWalk walk = new ExplainWalk(document);
            forEachOperation(document, (path, method, op) -> {
                assertThat(op.get("x-kubernetes-action").asText()).as(path + " " + method).isNotEmpty();
                JsonNode gvk = op.get("x-kubernetes-group-version-kind");
                assertThat(names(gvk)).as("a single object, as kubectl reads it").containsExactly("group", "kind",
                        "version");
                assertThat(walk.schemaOf(gvk)).isNotNull();
            });
        }
    }

    @Test
    void deploymentPatchDeclaresFieldValidationSoKubectlLeavesValidationToTheServer() {
        JsonNode apps = read(documents.current().groupVersion("apis/apps/v1").orElseThrow());
        JsonNode patch = apps.get("paths").get(DEPLOYMENT).get("patch");

        assertThat(patch.get("x-kubernetes-group-version-kind").toString())
                .isEqualTo("{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}");
        assertThat(parameterNames(patch)).contains("fieldValidation", "dryRun", "fieldManager", "force");
        assertThat(names(patch.at("/requestBody/content"))).containsExactlyInAnyOrder("application/json-patch+json",
                "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml");
        assertThat(patch.at("/responses/200/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.Deployment");
        assertThat(parameterNames(apps.get("paths").get(DEPLOYMENT))).containsExactly("name", "namespace", "pretty");
    }

    @Test
    void everyPatchAndWriteOperationDeclaresFieldValidation() {
        // kubectl stops at the first PATCH operation tagged with the kind, subresources included.
        for (String gv : names(read(documents.current().root()).get("paths"))) {
            forEachOperation(read(documents.current().groupVersion(gv).orElseThrow()), (path, method, op) -> {
                if (Set.of("patch", "put", "post").contains(method)) {
                    assertThat(parameterNames(op)).as(method + " " + path).contains("fieldValidation");
                }
            });
        }
    }

    @Test
    void operationsFollowTheVerbsAndScopeOfEachType() {
        JsonNode core = read(documents.current().groupVersion("api/v1").orElseThrow()).get("paths");
        assertThat(names(core.get("/api/v1/namespaces/{namespace}/configmaps"))).containsExactly("parameters", "get",
                "post", "delete");
        assertThat(core.at("/~1api~1v1~1namespaces~1{namespace}~1configmaps/get/x-kubernetes-action").asText())
                .isEqualTo("list");
        assertThat(parameterNames(core.at("/~1api~1v1~1namespaces~1{namespace}~1configmaps/get")))
                .contains("labelSelector", "fieldSelector", "limit", "continue", "resourceVersion", "watch");
        assertThat(core.at("/~1api~1v1~1configmaps/get/operationId").asText())
                .isEqualTo("listCoreV1ConfigMapForAllNamespaces");
        assertThat(core.has("/api/v1/namespaces/{name}/status")).isTrue();
        assertThat(core.has("/api/v1/nodes/{name}")).as("cluster-scoped").isTrue();

        JsonNode authz = read(documents.current().groupVersion("apis/authorization.k8s.io/v1").orElseThrow());
        assertThat(names(authz.get("paths"))).contains(
                "/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews",
                "/apis/authorization.k8s.io/v1/subjectaccessreviews");
        forEachOperation(authz, (path, method, op) -> assertThat(method).as("review kinds are create-only")
                .isEqualTo("post"));

        JsonNode scale = read(documents.current().groupVersion("apis/apps/v1").orElseThrow())
                .get("paths").get(DEPLOYMENT + "/scale").get("patch");
        assertThat(scale.get("x-kubernetes-group-version-kind").get("kind").asText()).isEqualTo("Scale");
    }

    @Test
    void explainFindsDeploymentReplicasAsAnInteger() {
        ExplainWalk explain = new ExplainWalk(read(documents.current().groupVersion("apis/apps/v1").orElseThrow()));

        JsonNode deployment = explain.schemaOf(explain.kindOf("/apis/apps/v1", "deployments"));
        JsonNode replicas = explain.field(deployment, "spec", "replicas");

        assertThat(explain.typeOf(replicas)).isEqualTo("integer");
        assertThat(explain.typeOf(explain.field(deployment, "spec", "template"))).isEqualTo("PodTemplateSpec");
        assertThat(explain.typeOf(explain.field(deployment, "spec", "strategy", "rollingUpdate", "maxSurge")))
                .isEqualTo("IntOrString");
        assertThat(explain.typeOf(explain.field(deployment, "metadata", "labels"))).isEqualTo("map[string]string");
    }

    @Test
    void explainListsTheFieldsOfPodContainers() {
        ExplainWalk explain = new ExplainWalk(read(documents.current().groupVersion("api/v1").orElseThrow()));

        JsonNode pod = explain.schemaOf(explain.kindOf("/api/v1", "pods"));
        JsonNode containers = explain.field(pod, "spec", "containers");

        assertThat(explain.typeOf(containers)).isEqualTo("[]Container");
        assertThat(explain.fieldNames(containers)).contains("image", "name", "ports", "resources", "env", "command");
        assertThat(explain.typeOf(explain.field(pod, "spec", "containers", "resources", "limits")))
                .isEqualTo("map[string]Quantity");
    }

    @Test
    void documentsAreCachedUntilTheRegistryChanges() {
        DocumentSet before = documents.current();
        assertThat(documents.current()).isSameAs(before);

        ResourceType crontabs = new ResourceType("stable.example.com", "v1", "CronTab", "crontabs", "crontab", true,
                List.of("ct"), List.of(), ResourceType.ALL_VERBS, Set.of());
        registry.register(crontabs);
        try {
            DocumentSet after = documents.current();
            assertThat(after).isNotSameAs(before);
            assertThat(names(read(after.root()).get("paths"))).contains("apis/stable.example.com/v1");
            assertThat(after.groupVersion("apis/apps/v1").orElseThrow().hash())
                    .as("unchanged group-versions keep their hash").isEqualTo(before.groupVersion("apis/apps/v1")
                            .orElseThrow().hash());

            JsonNode custom = read(after.groupVersion("apis/stable.example.com/v1").orElseThrow());
            assertThat(danglingRefs(custom)).isEmpty();
            ExplainWalk explain = new ExplainWalk(custom);
            JsonNode crontab = explain.schemaOf(explain.kindOf("/apis/stable.example.com/v1", "crontabs"));
            assertThat(crontab.get("x-kubernetes-preserve-unknown-fields").asBoolean()).isTrue();
            assertThat(explain.typeOf(explain.field(crontab, "metadata"))).isEqualTo("ObjectMeta");
            assertThat(parameterNames(custom.get("paths")
                    .get("/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}").get("patch")))
                    .contains("fieldValidation");
        } finally {
            registry.unregister(crontabs);
        }
        assertThat(documents.current().groupVersion("apis/stable.example.com/v1")).isEmpty();
        assertThat(documents.current().root().hash()).isEqualTo(before.root().hash());
    }

    @Test
    void documentsAreTheSameBytesWhenBuiltAgain() {
        OpenApiDocuments again = new OpenApiDocuments(new ResourceRegistry(), "v1.32.0+test");
        assertThat(again.current().root().hash()).isEqualTo(documents.current().root().hash());
    }

    @Test
    void swaggerDocumentDescribesEverythingInSwagger2Form() {
        JsonNode swagger = read(documents.current().swagger());

        assertThat(swagger.get("swagger").asText()).isEqualTo("2.0");
        assertThat(danglingRefs(swagger)).isEmpty();
        JsonNode patch = swagger.get("paths").get(DEPLOYMENT).get("patch");
        assertThat(patch.get("consumes").toString()).contains("application/strategic-merge-patch+json");
        assertThat(parameterNames(patch)).contains("fieldValidation", "body");
        assertThat(patch.at("/responses/200/schema/$ref").asText())
                .isEqualTo("#/definitions/io.k8s.api.apps.v1.Deployment");
        assertThat(swagger.at("/definitions/io.k8s.api.core.v1.Pod/x-kubernetes-group-version-kind/0/kind").asText())
                .isEqualTo("Pod");
        assertThat(swagger.has("components")).isFalse();
        assertThat(swagger.get("paths").has("/api/v1/namespaces/{namespace}/pods")).isTrue();
        assertThat(swagger.get("paths").has("/apis/batch/v1/namespaces/{namespace}/jobs")).isTrue();
    }

    interface OperationCheck {
        void check(String path, String method, JsonNode operation);
    }

    static void forEachOperation(JsonNode document, OperationCheck check) {
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!op.getKey().equals("parameters")) {
                check.check(path.getKey(), op.getKey(), op.getValue());
            }
        }));
    }

    static List<String> danglingRefs(JsonNode document) {
        List<String> dangling = new ArrayList<>();
        collectRefs(document, document, dangling);
        return dangling;
    }

    private static void collectRefs(JsonNode document, JsonNode node, List<String> dangling) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && document.at(ref.asText().substring(1)).isMissingNode()) {
                dangling.add(ref.asText());
            }
            node.elements().forEachRemaining(child -> collectRefs(document, child, dangling));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectRefs(document, child, dangling));
        }
    }

    static List<String> parameterNames(JsonNode operation) {
        List<String> names = new ArrayList<>();
        operation.path("parameters").forEach(p -> names.add(p.get("name").asText()));
        return names;
    }

    static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    static JsonNode read(ServedDocument document) {
        try {
            return JSON.readTree(document.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
