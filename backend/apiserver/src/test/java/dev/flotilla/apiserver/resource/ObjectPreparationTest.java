package dev.flotilla.apiserver.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectPreparationTest {

    private final ResourceRegistry registry = new ResourceRegistry();
    private final ResourceType deployments = registry.find("apps", "v1", "deployments").orElseThrow();
    private final ResourceType configMaps = registry.find("", "v1", "configmaps").orElseThrow();
    private final ResourceType services = registry.find("", "v1", "services").orElseThrow();

    private static ObjectNode object(String json) throws Exception {
        return (ObjectNode) Json.mapper().readTree(json);
    }

    @Test
    void createSetsSystemMetadataAndGeneratesNames() throws Exception {
        ObjectNode d = object("{\"metadata\":{\"generateName\":\"web-\",\"uid\":\"client-chosen\"},\"spec\":{},"
                + "\"status\":{\"replicas\":9}}");
        ObjectPreparation.prepareForCreate(deployments, d);
        ObjectMetadata meta = ObjectMetadata.of(d);
        assertThat(meta.name()).matches("web-[a-z0-9]{5}");
        assertThat(meta.uid()).isNotEqualTo("client-chosen").hasSize(36);
        assertThat(meta.generation()).isEqualTo(1);
        assertThat(meta.text("creationTimestamp")).endsWith("Z");
        assertThat(d.has("status")).as("status is the status subresource's").isFalse();
    }

    @Test
    void updateKeepsIdentityAndBumpsGenerationOnlyForSpecChanges() throws Exception {
        ObjectNode stored = object("{\"metadata\":{\"name\":\"w\",\"uid\":\"u1\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\","
                + "\"generation\":3},\"spec\":{\"replicas\":1},\"status\":{\"replicas\":1}}");
        ObjectNode labelsOnly = object("{\"metadata\":{\"name\":\"w\",\"uid\":\"other\",\"labels\":{\"a\":\"b\"}},"
                + "\"spec\":{\"replicas\":1},\"status\":{\"replicas\":7}}");
        ObjectPreparation.prepareForUpdate(deployments, labelsOnly, stored, false);
        assertThat(ObjectMetadata.of(labelsOnly).uid()).isEqualTo("u1");
        assertThat(ObjectMetadata.of(labelsOnly).generation()).isEqualTo(3);
        assertThat(labelsOnly.at("/status/replicas").asInt()).as("main endpoint ignores status").isEqualTo(1);

        ObjectNode specChange = object("{\"metadata\":{\"name\":\"w\"},\"spec\":{\"replicas\":2}}");
        ObjectPreparation.prepareForUpdate(deployments, specChange, stored, false);
        assertThat(ObjectMetadata.of(specChange).generation()).isEqualTo(4);
    }

    @Test
    void statusUpdateChangesOnlyStatus() throws Exception {
        ObjectNode stored = object("{\"metadata\":{\"name\":\"w\",\"uid\":\"u1\",\"resourceVersion\":\"5\",\"labels\":{\"x\":\"1\"}},"
                + "\"spec\":{\"replicas\":1},\"status\":{\"replicas\":0}}");
        ObjectNode sent = object("{\"metadata\":{\"name\":\"w\",\"resourceVersion\":\"5\",\"labels\":{\"x\":\"2\"}},"
                + "\"spec\":{\"replicas\":99},\"status\":{\"replicas\":1}}");
        ObjectPreparation.prepareForUpdate(deployments, sent, stored, true);
        assertThat(sent.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(sent.at("/status/replicas").asInt()).isEqualTo(1);
        assertThat(sent.at("/metadata/labels/x").asText()).isEqualTo("1");
    }

    @Test
    void metadataValidationCollectsEveryProblemWithItsPath() throws Exception {
        ObjectNode bad = object("{\"metadata\":{\"name\":\"Bad_Name\",\"labels\":{\"ok\":\"fine\",\"bad key!\":\"v\","
                + "\"k\":\"bad value!\"}}}");
        List<FieldError> errors = ObjectPreparation.validateMetadata(configMaps, bad);
        assertThat(errors).extracting(FieldError::field)
                .containsExactly("metadata.name", "metadata.labels", "metadata.labels");
        assertThat(errors.get(0).toString()).startsWith("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 "
                + "subdomain must consist of");

        ObjectNode service = object("{\"metadata\":{\"name\":\"1abc\"}}");
        assertThat(ObjectPreparation.validateMetadata(services, service)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("DNS-1035 label"));

        ObjectNode nameless = object("{\"metadata\":{}}");
        assertThat(ObjectPreparation.validateMetadata(configMaps, nameless)).singleElement()
                .hasToString("metadata.name: Required value: name or generateName is required");
    }

    @Test
    void bodyMustMatchTheUrl() throws Exception {
        ObjectNode wrongKind = object("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"x\"}}");
        assertThatThrownBy(() -> ObjectPreparation.checkBody(configMaps, "default", wrongKind))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(400));
        ObjectNode otherNamespace = object("{\"metadata\":{\"name\":\"x\",\"namespace\":\"other\"}}");
        assertThatThrownBy(() -> ObjectPreparation.checkBody(configMaps, "default", otherNamespace))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage())
                        .isEqualTo("the namespace of the provided object does not match the namespace sent on the request"));
        ObjectNode ok = object("{\"metadata\":{\"name\":\"x\"}}");
        ObjectPreparation.checkBody(configMaps, "default", ok);
        assertThat(ok.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(ok.get("kind").asText()).isEqualTo("ConfigMap");
        assertThat(ok.at("/metadata/namespace").asText()).isEqualTo("default");
    }

    @Test
    void continueTokensRoundTripAndRejectGarbage() {
        ContinueToken token = new ContinueToken(42, "/registry/core/configmaps/default/a");
        assertThat(ContinueToken.decode(token.encode())).isEqualTo(token);
        assertThatThrownBy(() -> ContinueToken.decode("not-a-token"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(400));
    }
}
