package dev.flotilla.apiserver.crd.cel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON value as a CEL value of its schema's type ({@link SchemaCelTypes}): objects with properties
 * become maps keyed by the escaped property names (undeclared fields are left out), maps and
 * preserved objects maps by their own keys, arrays lists, integers {@code long}, numbers
 * {@code double}, and JSON null CEL's {@code null}.
 */
final class CelValues {

    private CelValues() {
    }

    static Object of(JsonNode value, JsonNode schema, boolean root) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (schema == null || schema.isMissingNode() || schema.isNull()
                || schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return untyped(value);
        }
        return switch (schema.path("type").asText("")) {
            case "object" -> object(value, schema, root);
            case "array" -> {
                List<Object> items = new ArrayList<>(value.size());
                value.forEach(item -> items.add(of(item, schema.path("items"), false)));
                yield items;
            }
            case "number" -> value.isNumber() ? value.asDouble() : untyped(value);
            default -> untyped(value);
        };
    }

    private static Object object(JsonNode value, JsonNode schema, boolean root) {
        if (!value.isObject()) {
            return untyped(value);
        }
        boolean resource = root || schema.path("x-kubernetes-embedded-resource").asBoolean(false);
        JsonNode properties = schema.path("properties");
        Map<String, Object> map = new HashMap<>();
        if (properties.isObject() && !properties.isEmpty() || resource) {
            if (resource) {
                putText(map, "apiVersion", value.path("apiVersion"));
                putText(map, "kind", value.path("kind"));
                JsonNode metadata = value.path("metadata");
                if (metadata.isObject()) {
                    Map<String, Object> meta = new HashMap<>();
                    putText(meta, "name", metadata.path("name"));
                    putText(meta, "generateName", metadata.path("generateName"));
                    map.put("metadata", meta);
                }
            }
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode property = properties.get(field.getKey());
                if (property == null || resource && field.getKey().equals("metadata")
                        || resource && (field.getKey().equals("apiVersion") || field.getKey().equals("kind"))) {
                    continue;
                }
                Optional<String> name = CelFieldNames.escape(field.getKey());
                name.ifPresent(n -> map.put(n, of(field.getValue(), property, false)));
            }
            return map;
        }
        JsonNode additional = schema.path("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            map.put(field.getKey(), additional.isObject() ? of(field.getValue(), additional, false)
                    : untyped(field.getValue()));
        }
        return map;
    }

    private static void putText(Map<String, Object> map, String key, JsonNode value) {
        if (value.isTextual()) {
            map.put(key, value.asText());
        }
    }

    /** A value without a schema (dyn): its JSON type decides. */
    static Object untyped(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (value.isObject()) {
            Map<String, Object> map = new HashMap<>();
            value.fields().forEachRemaining(f -> map.put(f.getKey(), untyped(f.getValue())));
            return map;
        }
        if (value.isArray()) {
            List<Object> items = new ArrayList<>(value.size());
            value.forEach(item -> items.add(untyped(item)));
            return items;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.asText();
    }
}
