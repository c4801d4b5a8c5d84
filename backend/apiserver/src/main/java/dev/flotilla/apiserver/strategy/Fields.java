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
}
