package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small helpers for reading and defaulting fields of object trees in strategies. */
final class Fields {

    private Fields() {
    }

    static void defaultText(ObjectNode node, String field, String value) {
        JsonNode current = node.get(field);
        if (current == null || current.isNull() || (current.isTextual() && current.asText().isEmpty())) {
            node.put(field, value);
        }
    }

    static void defaultInt(ObjectNode node, String field, long value) {
        JsonNode current = node.get(field);
        if (current == null || current.isNull()) {
            node.put(field, value);
        }
    }

    static void defaultBool(ObjectNode node, String field, boolean value) {
        JsonNode current = node.get(field);
        if (current == null || current.isNull()) {
            node.put(field, value);
        }
    }

    static boolean isBlank(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() || (node.isTextual() && node.asText().isEmpty());
    }

    /**
     * Equality as a Go client sees it: a null field, an empty object and an empty list are the same as
     * an absent one, so an unchanged object a client round-trips (dropping nulls and empties) still
     * counts as unchanged.
     */
    static boolean semanticallyEqual(JsonNode a, JsonNode b) {
        return withoutEmpties(a).equals(withoutEmpties(b));
    }

    private static JsonNode withoutEmpties(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        if (node.isObject()) {
            ObjectNode copy = dev.flotilla.api.json.Json.mapper().createObjectNode();
            node.fields().forEachRemaining(entry -> {
                JsonNode value = withoutEmpties(entry.getValue());
                if (!value.isMissingNode()) {
                    copy.set(entry.getKey(), value);
                }
            });
            return copy.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : copy;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode copy = dev.flotilla.api.json.Json.mapper().createArrayNode();
            node.forEach(item -> {
                JsonNode value = withoutEmpties(item);
                copy.add(value.isMissingNode() ? dev.flotilla.api.json.Json.mapper().nullNode() : value);
            });
            return copy.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : copy;
        }
        return node;
    }
}
