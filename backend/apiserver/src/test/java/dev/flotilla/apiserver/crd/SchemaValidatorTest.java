package dev.flotilla.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

    private static final JsonNode SCHEMA = json("""
            {"type": "object", "properties": {
              "spec": {"type": "object", "required": ["size"], "properties": {
                "size": {"type": "string", "enum": ["small", "large"]},
                "replicas": {"type": "integer", "minimum": 1, "maximum": 5, "default": 1},
                "ratio": {"type": "number", "exclusiveMaximum": true, "maximum": 1},
                "name": {"type": "string", "minLength": 2, "maxLength": 4, "pattern": "^[a-z]+$"},
                "when": {"type": "string", "format": "date-time"},
                "note": {"type": "string", "nullable": true},
                "port": {"x-kubernetes-int-or-string": true},
                "tags": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string"}},
                "set": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "integer"}},
                "env": {"type": "object", "additionalProperties": {"type": "string"}},
                "template": {"type": "object", "x-kubernetes-embedded-resource": true,
                             "x-kubernetes-preserve-unknown-fields": true},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                "nested": {"type": "object", "properties": {"level": {"type": "integer", "default": 3}}, "default": {}}
              }}}}
            """);

    @Test
    void aValidObjectHasNoErrors() {
        assertThat(errors("""
                {"spec": {"size": "small", "replicas": 2, "ratio": 0.5, "name": "ab", "when": "2024-01-02T03:04:05Z",
                 "note": null, "port": "http", "tags": ["a"], "set": [1, 2], "env": {"A": "b"},
                 "template": {"apiVersion": "v1", "kind": "Pod", "x": 1}, "extra": {"any": [1]}}}
                """)).isEmpty();
    }

    @Test
    void typeErrorsNameTheTypeFoundAsUpstream() {
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"replicas\": \"three\"}}")).containsExactly(
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"port\": [1]}}")).containsExactly(
                "spec.port: Invalid value: \"array\": spec.port in body must be of type integer,string: \"array\"");
        assertThat(errors("{\"spec\": {\"size\": null}}")).containsExactly(
                "spec.size: Invalid value: \"null\": spec.size in body must be of type string: \"null\"");
        assertThat(errors("{\"spec\": 3}")).containsExactly(
                "spec: Invalid value: \"integer\": spec in body must be of type object: \"integer\"");
    }

    @Test
    void valueRulesUseUpstreamWording() {
        assertThat(errors("{\"spec\": {}}")).containsExactly("spec.size: Required value");
        assertThat(errors("{\"spec\": {\"size\": \"huge\"}}")).containsExactly(
                "spec.size: Unsupported value: \"huge\": supported values: \"small\", \"large\"");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"replicas\": 0}}")).containsExactly(
                "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"replicas\": 6}}")).containsExactly(
                "spec.replicas: Invalid value: 6: spec.replicas in body should be less than or equal to 5");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"ratio\": 1}}")).containsExactly(
                "spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"name\": \"a\"}}")).containsExactly(
                "spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"name\": \"abcde\"}}")).containsExactly(
                "spec.name: Too long: may not be more than 4 bytes");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"name\": \"A1\"}}")).containsExactly(
                "spec.name: Invalid value: \"A1\": spec.name in body should match '^[a-z]+$'");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"when\": \"yesterday\"}}")).containsExactly(
                "spec.when: Invalid value: \"yesterday\": spec.when in body must be of type date-time: \"yesterday\"");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"tags\": []}}")).containsExactly(
                "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"tags\": [\"a\", \"b\", \"c\"]}}")).containsExactly(
                "spec.tags: Too many: 3: must have at most 2 items");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"set\": [1, 1]}}")).containsExactly(
                "spec.set[1]: Duplicate value: 1");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"env\": {\"A\": 1}}}")).containsExactly(
                "spec.env.A: Invalid value: \"integer\": spec.env.A in body must be of type string: \"integer\"");
        assertThat(errors("{\"spec\": {\"size\": \"small\", \"template\": {\"x\": 1}}}")).containsExactly(
                "spec.template.apiVersion: Required value: must not be empty",
                "spec.template.kind: Required value: must not be empty");
    }

    @Test
    void everyProblemIsReported() {
        assertThat(errors("{\"spec\": {\"replicas\": 9, \"tags\": [1]}}")).containsExactlyInAnyOrder(
                "spec.replicas: Invalid value: 9: spec.replicas in body should be less than or equal to 5",
                "spec.tags[0]: Invalid value: \"integer\": spec.tags[0] in body must be of type string: \"integer\"",
                "spec.size: Required value");
    }

    @Test
    void pruningDropsUndeclaredFieldsAndKeepsPreservedOnes() {
        ObjectNode object = (ObjectNode) json("""
                {"apiVersion": "a/v1", "kind": "K", "metadata": {"name": "x"}, "top": 1,
                 "spec": {"size": "small", "foo": 1, "env": {"A": "b"}, "extra": {"kept": true},
                          "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {}, "any": 1},
                          "nested": {"level": 2, "bar": 2}}}
                """);
        List<String> pruned = SchemaPruning.prune(object, SCHEMA);
        assertThat(pruned).containsExactly("top", "spec.foo", "spec.nested.bar");
        assertThat(object.path("spec").path("extra").path("kept").asBoolean()).isTrue();
        assertThat(object.path("spec").path("template").has("any")).isTrue();
        assertThat(object.has("metadata")).isTrue();
    }

    @Test
    void pruningKeepsMetadataWhenTheSchemaDeclaresItAsAPlainObject() {
        JsonNode schema = json("""
                {"type": "object", "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                 "metadata": {"type": "object"}, "spec": {"type": "object"}}}
                """);
        ObjectNode object = (ObjectNode) json("""
                {"apiVersion": "a/v1", "kind": "K", "metadata": {"name": "x", "labels": {"a": "b"}}, "spec": {}}
                """);
        assertThat(SchemaPruning.prune(object, schema)).isEmpty();
        assertThat(object.path("metadata").path("labels").path("a").asText()).isEqualTo("b");
    }

    @Test
    void defaultsFillMissingFieldsAndNestedDefaults() {
        ObjectNode object = (ObjectNode) json("{\"spec\": {\"size\": \"small\"}}");
        SchemaDefaults.apply(object, SCHEMA);
        assertThat(object.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(object.path("spec").path("nested").path("level").asInt()).isEqualTo(3);
        ObjectNode kept = (ObjectNode) json("{\"spec\": {\"size\": \"small\", \"replicas\": 4}}");
        SchemaDefaults.apply(kept, SCHEMA);
        assertThat(kept.path("spec").path("replicas").asInt()).isEqualTo(4);
    }

    @Test
    void printerColumnPathsFindValues() {
        JsonNode object = json("""
                {"spec": {"replicas": 2, "items": [{"name": "a"}, {"name": "b"}]},
                 "status": {"conditions": [{"type": "Ready", "status": "True"}, {"type": "Synced", "status": "False"}]}}
                """);
        assertThat(JsonPathColumn.find(object, ".spec.replicas")).extracting(JsonNode::asInt).containsExactly(2);
        assertThat(JsonPathColumn.find(object, "{.spec.items[*].name}")).extracting(JsonNode::asText)
                .containsExactly("a", "b");
        assertThat(JsonPathColumn.find(object, ".spec.items[1].name")).extracting(JsonNode::asText).containsExactly("b");
        assertThat(JsonPathColumn.find(object, ".status.conditions[?(@.type==\"Synced\")].status"))
                .extracting(JsonNode::asText).containsExactly("False");
        assertThat(JsonPathColumn.find(object, ".status.missing")).isEmpty();
    }

    private static List<String> errors(String object) {
        return SchemaValidator.validate(json(object), SCHEMA).stream().map(FieldError::toString).toList();
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
