package dev.flotilla.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdValidationTest {

    private static final String VALID = """
            {"metadata": {"name": "widgets.stable.example.com"},
             "spec": {"group": "stable.example.com", "scope": "Namespaced",
                      "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wd"]},
                      "versions": [
                        {"name": "v1", "served": true, "storage": true,
                         "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas",
                                                                  "statusReplicasPath": ".status.replicas"}},
                         "schema": {"openAPIV3Schema": {"type": "object"}}},
                        {"name": "v2", "served": false, "storage": false,
                         "schema": {"openAPIV3Schema": {"type": "object"}}}]}}
            """;

    @Test
    void aValidDefinitionServesItsServedVersions() {
        JsonNode crd = json(VALID);
        assertThat(CrdValidation.validate(crd)).isEmpty();
        List<ResourceType> types = CrdTypes.of(crd);
        assertThat(types).hasSize(1);
        ResourceType v1 = types.get(0);
        assertThat(v1.apiVersion()).isEqualTo("stable.example.com/v1");
        assertThat(v1.singular()).isEqualTo("widget");
        assertThat(v1.listKind()).isEqualTo("WidgetList");
        assertThat(v1.subresources()).containsExactlyInAnyOrder("status", "scale");
        assertThat(v1.custom().storageVersion()).isEqualTo("v1");
        assertThat(CrdTypes.storageType(crd).version()).isEqualTo("v1");
    }

    @Test
    void commonMistakesAreReportedTogether() {
        JsonNode crd = json("""
                {"metadata": {"name": "foos.example"},
                 "spec": {"group": "example", "scope": "Regional", "names": {"plural": "Foos", "kind": "Foo",
                          "listKind": "Foo"},
                          "conversion": {"strategy": "Webhook"},
                          "versions": [
                            {"name": "v1", "served": false, "storage": false,
                             "schema": {"openAPIV3Schema": {"properties": {"spec": {}}}}},
                            {"name": "v1", "served": false, "storage": false}]}}
                """);
        assertThat(CrdValidation.validate(crd).stream().map(FieldError::toString)).containsExactlyInAnyOrder(
                "metadata.name: Invalid value: \"foos.example\": must be spec.names.plural+\".\"+spec.group",
                "spec.group: Invalid value: \"example\": should be a domain with at least one dot",
                "spec.scope: Unsupported value: \"Regional\": supported values: \"Cluster\", \"Namespaced\"",
                "spec.names.plural: Invalid value: \"Foos\": a DNS-1035 label must consist of lower case alphanumeric "
                        + "characters or '-', start with an alphabetic character, and end with an alphanumeric "
                        + "character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
                        + "'[a-z]([-a-z0-9]*[a-z0-9])?')",
                "spec.names.listKind: Invalid value: \"Foo\": kind and listKind cannot be the same",
                "spec.versions[0].schema.openAPIV3Schema.type: Required value: must not be empty at the root",
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty "
                        + "for specified object fields",
                "spec.versions[1].name: Duplicate value: \"v1\"",
                "spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required",
                "spec.versions: Invalid value: [v1, v1]: must have exactly one version marked as storage version",
                "spec.versions: Invalid value: [v1, v1]: must have at least one version marked as served",
                "spec.conversion.strategy: Unsupported value: \"Webhook\": supported values: \"None\" (this server "
                        + "does not call conversion webhooks)");
    }

    @Test
    void updatesKeepGroupScopeAndStoredVersions() {
        JsonNode old = json(VALID);
        JsonNode updated = json(VALID.replace("\"Namespaced\"", "\"Cluster\"")
                .replace("\"name\": \"v1\"", "\"name\": \"v3\""));
        ((com.fasterxml.jackson.databind.node.ObjectNode) updated).putObject("status").putArray("storedVersions")
                .add("v1");
        assertThat(CrdValidation.validateUpdate(updated, old).stream().map(FieldError::toString)).containsExactly(
                "spec.scope: Invalid value: \"Cluster\": field is immutable",
                "status.storedVersions[0]: Invalid value: \"v1\": must appear in spec.versions");
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
