package dev.flotilla.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The lookups kubectl explain's OpenAPI v3 template makes (kubectl pkg/explain/v2/templates/
 * plaintext.tmpl), redone in Java so tests can check a document answers them: find the kind from
 * the resource's operations, find the schema tagged with that kind, then follow a field path through
 * {@code $ref}s, array items and map values.
 */
final class ExplainWalk {

    private final JsonNode document;

    ExplainWalk(JsonNode document) {
        this.document = document;
    }

    /** The operation GVK kubectl finds for a resource under {@code prefix} ({@code /api/v1}, {@code /apis/apps/v1}). */
    JsonNode kindOf(String prefix, String resource) {
        for (String path : List.of(prefix + "/" + resource, prefix + "/" + resource + "/{name}",
                prefix + "/namespaces/{namespace}/" + resource, prefix + "/namespaces/{namespace}/" + resource + "/{name}")) {
            JsonNode item = document.path("paths").path(path);
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                JsonNode gvk = item.path(method).path("x-kubernetes-group-version-kind");
                if (gvk.isObject()) {
                    return gvk;
                }
            }
        }
        throw new AssertionError("no operation names a kind for " + prefix + "/" + resource);
    }

    /** The schema whose {@code x-kubernetes-group-version-kind} list contains {@code gvk}. */
    JsonNode schemaOf(JsonNode gvk) {
        for (JsonNode schema : document.path("components").path("schemas")) {
            for (JsonNode tagged : schema.path("x-kubernetes-group-version-kind")) {
                if (tagged.equals(gvk)) {
                    return schema;
                }
            }
        }
        throw new AssertionError("no schema is tagged " + gvk);
    }

    /** The schema of the field at {@code path} below {@code schema}, as explain's "output" template walks it. */
    JsonNode field(JsonNode schema, String... path) {
        JsonNode current = schema;
        for (String name : path) {
            JsonNode resolved = containerOf(resolve(current));
            JsonNode next = resolved.path("properties").path(name);
            if (next.isMissingNode()) {
                throw new AssertionError("field " + name + " is not among " + resolved.path("properties"));
            }
            current = next;
        }
        return current;
    }

    /** The type explain prints in angle brackets ("typeGuess"). */
    String typeOf(JsonNode schema) {
        if (schema.has("items")) {
            return "[]" + typeOf(schema.get("items"));
        }
        if (schema.path("additionalProperties").isObject()) {
            return "map[string]" + typeOf(schema.get("additionalProperties"));
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            JsonNode target = resolve(schema);
            if (!target.has("type") || target.get("type").asText().equals("object")) {
                return ref.substring(ref.lastIndexOf('.') + 1);
            }
            return target.get("type").asText();
        }
        String type = schema.path("type").asText("");
        return type.isEmpty() || type.equals("object") ? "Object" : type;
    }

    /** The field names explain lists for a schema (its "fieldList" template). */
    List<String> fieldNames(JsonNode schema) {
        JsonNode resolved = containerOf(resolve(schema));
        return iterable(resolved.path("properties").fieldNames());
    }

    JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asText();
            current = document.at(ref.substring(1));
            if (current.isMissingNode()) {
                throw new AssertionError("unresolvable " + ref);
            }
        }
        return current;
    }

    /** Arrays and maps are walked through to their element schema, as explain does. */
    private JsonNode containerOf(JsonNode schema) {
        if (schema.has("items")) {
            return containerOf(resolve(schema.get("items")));
        }
        if (schema.path("additionalProperties").isObject()) {
            return containerOf(resolve(schema.get("additionalProperties")));
        }
        return schema;
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
