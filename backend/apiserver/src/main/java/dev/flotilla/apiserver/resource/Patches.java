package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.ApiError;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * PATCH bodies by content type: JSON Patch (RFC 6902), JSON Merge Patch (RFC 7386) and strategic
 * merge patch ({@link StrategicMergePatch}). Server-side apply is not a patch of this kind: it goes
 * to {@link dev.flotilla.apiserver.apply.FieldManager}.
 */
final class Patches {

    static final String JSON_PATCH = "application/json-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";

    private Patches() {
    }

    static JsonNode parse(byte[] body, String contentType) {
        String type = mediaType(contentType);
        if (!type.equals(JSON_PATCH) && !type.equals(MERGE_PATCH) && !type.equals(STRATEGIC_MERGE_PATCH)) {
            throw ApiError.of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                    + "application/apply-patch+yaml, application/strategic-merge-patch+json");
        }
        if (body == null || body.length == 0) {
            throw ApiError.badRequest("the patch body is empty");
        }
        try {
            JsonNode patch = Json.mapper().readTree(body);
            if (type.equals(JSON_PATCH) ? !patch.isArray() : !patch.isObject()) {
                throw ApiError.badRequest(type.equals(JSON_PATCH) ? "a JSON patch must be a list of operations"
                        : "a merge patch must be a JSON object");
            }
            return patch;
        } catch (IOException e) {
            throw ApiError.badRequest("the patch could not be decoded: " + e.getMessage().split("\n")[0]);
        }
    }

    static ObjectNode apply(ObjectNode target, JsonNode patch, String contentType) {
        String type = mediaType(contentType);
        JsonNode result = type.equals(JSON_PATCH) ? jsonPatch(target.deepCopy(), (ArrayNode) patch)
                : type.equals(STRATEGIC_MERGE_PATCH) ? StrategicMergePatch.apply(target.deepCopy(), patch)
                : mergePatch(target.deepCopy(), patch);
        if (!(result instanceof ObjectNode object)) {
            throw ApiError.badRequest("the patch did not produce an object");
        }
        return object;
    }

    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : Json.mapper().createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    private static JsonNode jsonPatch(JsonNode document, ArrayNode operations) {
        JsonNode doc = document;
        for (int i = 0; i < operations.size(); i++) {
            JsonNode op = operations.get(i);
            String kind = op.path("op").asText("");
            String path = op.path("path").asText(null);
            if (path == null) {
                throw ApiError.badRequest("json patch operation " + i + ": missing path");
            }
            switch (kind) {
                case "add" -> doc = JsonPointer.add(doc, path, required(op, "value", i));
                case "remove" -> doc = JsonPointer.remove(doc, path);
                case "replace" -> doc = JsonPointer.add(JsonPointer.remove(doc, path), path, required(op, "value", i));
                case "move" -> {
                    String from = op.path("from").asText(null);
                    JsonNode value = JsonPointer.get(doc, from);
                    doc = JsonPointer.add(JsonPointer.remove(doc, from), path, value);
                }
                case "copy" -> doc = JsonPointer.add(doc, path, JsonPointer.get(doc, op.path("from").asText(null)).deepCopy());
                case "test" -> {
                    if (!JsonPointer.get(doc, path).equals(required(op, "value", i))) {
                        throw ApiError.of(422, "Invalid", "the server rejected our request due to an error in our "
                                + "request: testing value " + path + " failed");
                    }
                }
                default -> throw ApiError.badRequest("json patch operation " + i + ": unsupported op \"" + kind + "\"");
            }
        }
        return doc;
    }

    private static JsonNode required(JsonNode op, String field, int index) {
        if (!op.has(field)) {
            throw ApiError.badRequest("json patch operation " + index + ": missing " + field);
        }
        return op.get(field);
    }

    static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
    }
}
