package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Upstream's structural defaulting: a field that is missing (or null without {@code nullable}) and
 * whose schema has a {@code default} gets that default; objects and arrays are walked so nested
 * defaults apply too, including inside a default just set.
 */
public final class SchemaDefaults {

    private SchemaDefaults() {
    }

    /** Applies the defaults of {@code schema} to a whole custom resource (metadata, apiVersion and kind excluded). */
    public static void apply(ObjectNode object, JsonNode schema) {
        if (schema == null || schema.isNull()) {
            return;
        }
        applyObject(object, schema, true);
    }

    private static void walk(JsonNode value, JsonNode schema) {
        if (value instanceof ObjectNode object) {
            applyObject(object, schema, false);
        } else if (value != null && value.isArray() && schema.has("items")) {
            value.forEach(item -> walk(item, schema.get("items")));
        }
    }

    private static void applyObject(ObjectNode object, JsonNode schema, boolean root) {
        JsonNode properties = schema.path("properties");
        Iterator<Map.Entry<String, JsonNode>> declared = properties.fields();
        while (declared.hasNext()) {
            Map.Entry<String, JsonNode> property = declared.next();
            String name = property.getKey();
            if (root && (name.equals("metadata") || name.equals("apiVersion") || name.equals("kind"))) {
                continue;
            }
            JsonNode fieldSchema = property.getValue();
            JsonNode current = object.get(name);
            boolean absent = current == null || current.isNull() && !fieldSchema.path("nullable").asBoolean(false);
            if (absent && fieldSchema.has("default")) {
                object.set(name, fieldSchema.get("default").deepCopy());
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (root && field.getKey().equals("metadata")) {
                continue;
            }
            JsonNode child = properties.get(field.getKey());
            if (child == null && additional != null && additional.isObject()) {
                child = additional;
            }
            if (child != null) {
                walk(field.getValue(), child);
            }
        }
    }
}
