package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.ApiError;
import java.util.ArrayList;
import java.util.List;

/** RFC 6901 pointers for JSON Patch: get, add and remove at a path, with a 422 naming a path that does not exist. */
final class JsonPointer {

    private JsonPointer() {
    }

    static JsonNode get(JsonNode doc, String pointer) {
        JsonNode node = doc;
        for (String token : tokens(pointer)) {
            node = child(node, token, pointer);
        }
        return node;
    }

    static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
        List<String> tokens = tokens(pointer);
        if (tokens.isEmpty()) {
            return value.deepCopy();
        }
        JsonNode parent = get(doc, parentPointer(tokens));
        String last = tokens.get(tokens.size() - 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value.deepCopy());
        } else if (parent instanceof ArrayNode array) {
            if (last.equals("-")) {
                array.add(value.deepCopy());
            } else {
                int index = index(last, array.size() + 1, pointer);
                array.insert(index, value.deepCopy());
            }
        } else {
            throw missing(pointer);
        }
        return doc;
    }

    static JsonNode remove(JsonNode doc, String pointer) {
        List<String> tokens = tokens(pointer);
        if (tokens.isEmpty()) {
            throw ApiError.of(422, "Invalid", "the server rejected our request: cannot remove the whole document");
        }
        JsonNode parent = get(doc, parentPointer(tokens));
        String last = tokens.get(tokens.size() - 1);
        if (parent instanceof ObjectNode object && object.has(last)) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array) {
            array.remove(index(last, array.size(), pointer));
        } else {
            throw missing(pointer);
        }
        return doc;
    }

    private static JsonNode child(JsonNode node, String token, String pointer) {
        JsonNode next = null;
        if (node instanceof ObjectNode) {
            next = node.get(token);
        } else if (node instanceof ArrayNode array) {
            next = array.get(index(token, array.size(), pointer));
        }
        if (next == null) {
            throw missing(pointer);
        }
        return next;
    }

    private static int index(String token, int size, String pointer) {
        try {
            int index = Integer.parseInt(token);
            if (index < 0 || index >= size) {
                throw missing(pointer);
            }
            return index;
        } catch (NumberFormatException e) {
            throw missing(pointer);
        }
    }

    private static String parentPointer(List<String> tokens) {
        StringBuilder parent = new StringBuilder();
        for (String token : tokens.subList(0, tokens.size() - 1)) {
            parent.append('/').append(token.replace("~", "~0").replace("/", "~1"));
        }
        return parent.toString();
    }

    private static List<String> tokens(String pointer) {
        if (pointer == null) {
            throw ApiError.badRequest("json patch: missing path");
        }
        if (pointer.isEmpty()) {
            return List.of();
        }
        if (!pointer.startsWith("/")) {
            throw ApiError.badRequest("json patch: path \"" + pointer + "\" must start with /");
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : pointer.substring(1).split("/", -1)) {
            tokens.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    private static ApiError missing(String pointer) {
        return ApiError.of(422, "Invalid", "the server rejected our request due to an error in our request: "
                + "doc is missing path: \"" + pointer + "\"");
    }
}
