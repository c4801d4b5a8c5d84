package dev.flotilla.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import org.junit.jupiter.api.Test;

class ModelSchemasTest {

    private final ModelSchemas v3 = new ModelSchemas(SchemaDialect.OPENAPI_V3);
    private final ModelSchemas v2 = new ModelSchemas(SchemaDialect.SWAGGER_V2);

    @Test
    void propertiesCarryTheirJsonNamesAndTypes() {
        JsonNode spec = properties(DeploymentSpec.class);

        assertThat(spec.get("replicas").toString()).isEqualTo("{\"type\":\"integer\",\"format\":\"int32\"}");
        assertThat(spec.get("paused").get("type").asText()).isEqualTo("boolean");
        assertThat(spec.get("template").get("$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec");
        assertThat(spec.get("selector").get("$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector");
        assertThat(v3.component(DeploymentSpec.class).references()).contains(DeploymentStrategy.class);
        assertThat(properties(ObjectMeta.class).get("generation").get("format").asText()).isEqualTo("int64");
    }

    @Test
    void listsAndMapsBecomeArraysAndObjectsWithAdditionalProperties() {
        JsonNode meta = properties(ObjectMeta.class);
        assertThat(meta.get("labels").toString())
                .isEqualTo("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}");
        assertThat(properties(Container.class).get("args").toString())
                .isEqualTo("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
        assertThat(properties(ResourceRequirements.class).get("limits").get("additionalProperties").get("$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity");
        assertThat(properties(ConfigMap.class).get("data").get("additionalProperties").get("type").asText())
                .isEqualTo("string");
    }

    @Test
    void fabric8CatchAllMapIsNotAFieldButARealAdditionalPropertiesFieldIs() {
        assertThat(properties(Deployment.class)).hasSize(5);
        assertThat(properties(Deployment.class).has("additionalProperties")).isFalse();
        assertThat(properties(JSONSchemaProps.class).has("additionalProperties")).isTrue();
        assertThat(v3.component(FieldsV1.class).schema().get("x-kubernetes-preserve-unknown-fields").asBoolean())
                .as("a class that is nothing but the catch-all is free-form").isTrue();
    }

    @Test
    void customSerializedTypesAreDescribedByTheirWireForm() {
        JsonNode intOrString = v3.component(IntOrString.class).schema();
        assertThat(v3.component(IntOrString.class).name()).isEqualTo("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(intOrString.get("x-kubernetes-int-or-string").asBoolean()).isTrue();
        assertThat(intOrString.get("oneOf").toString()).isEqualTo("[{\"type\":\"integer\"},{\"type\":\"string\"}]");
        assertThat(intOrString.has("properties")).isFalse();
        assertThat(v3.component(Quantity.class).schema().get("oneOf").toString())
                .isEqualTo("[{\"type\":\"string\"},{\"type\":\"number\"}]");
        assertThat(properties(RollingUpdateDeployment.class).get("maxSurge").get("$ref").asText())
                .endsWith("/io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(properties(ServicePort.class).get("targetPort").get("$ref").asText()).endsWith("IntOrString");
        assertThat(properties(ControllerRevision.class).get("data").get("x-kubernetes-preserve-unknown-fields")
                .asBoolean()).as("an Object-typed field takes any JSON").isTrue();
    }

    @Test
    void swaggerDialectRefersToDefinitionsAndHasNoOneOf() {
        assertThat(v2.component(DeploymentSpec.class).schema().get("properties").get("template").get("$ref").asText())
                .isEqualTo("#/definitions/io.k8s.api.core.v1.PodTemplateSpec");
        assertThat(v2.component(IntOrString.class).schema().toString())
                .contains("\"type\":\"string\"", "\"format\":\"int-or-string\"").doesNotContain("oneOf");
        assertThat(v2.component(Quantity.class).schema().get("type").asText()).isEqualTo("string");
    }

    @Test
    void listsTheServerMergesByKeyCarryThePatchExtensionsKubectlReads() {
        JsonNode containers = properties(PodSpec.class).get("containers");
        assertThat(containers.get("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(containers.get("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
        assertThat(properties(Container.class).get("ports").get("x-kubernetes-patch-merge-key").asText())
                .isEqualTo("containerPort");
        assertThat(properties(ObjectMeta.class).get("finalizers").get("x-kubernetes-patch-strategy").asText())
                .isEqualTo("merge");
        assertThat(properties(ObjectMeta.class).get("finalizers").has("x-kubernetes-patch-merge-key")).isFalse();
        assertThat(properties(Container.class).get("args").has("x-kubernetes-patch-strategy"))
                .as("other lists are replaced whole").isFalse();
    }

    @Test
    void componentsAreBuiltOnce() {
        assertThat(v3.component(DeploymentSpec.class)).isSameAs(v3.component(DeploymentSpec.class));
    }

    private JsonNode properties(Class<?> type) {
        return v3.component(type).schema().get("properties");
    }
}
