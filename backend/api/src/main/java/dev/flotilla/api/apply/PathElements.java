package dev.flotilla.api.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The steps of a field path as FieldsV1 spells them: {@code f:<field>}, {@code k:<key fields as
 * JSON>} for an item of an associative list, {@code v:<value as JSON>} for an item of a set and
 * {@code i:<index>} for a list item known only by position.
 */
public final class PathElements {

    private PathElements() {
    }

    public static String field(String name) {
        return "f:" + name;
    }

    /** The element of {@code item} in a list keyed by {@code keys}; by position when it has none of them. */
    public static String item(JsonNode item, List<String> keys, int index) {
        Map<String, JsonNode> present = new TreeMap<>();
        for (String key : keys) {
            JsonNode value = item.get(key);
            if (value != null && !value.isNull()) {
                present.put(key, value);
            }
        }
        if (present.isEmpty()) {
            return "i:" + index;
        }
        ObjectNode key = Json.mapper().createObjectNode();
        present.forEach(key::set);
        return "k:" + compact(key);
    }

    public static String value(JsonNode value) {
        return "v:" + compact(value);
    }

    /** The child of {@code node} that {@code element} names, or null. */
    public static JsonNode child(JsonNode node, String element) {
        if (node == null) {
            return null;
        }
        String body = element.substring(2);
        switch (element.charAt(0)) {
            case 'f':
                return node.isObject() ? node.get(body) : null;
            case 'i':
                return node.isArray() ? node.get(Integer.parseInt(body)) : null;
            case 'k':
            case 'v':
                return node.isArray() ? node.get(indexOf(node, element)) : null;
            default:
                return null;
        }
    }

    /** The position in list {@code list} of the item that {@code element} names, or -1. */
    public static int indexOf(JsonNode list, String element) {
        if (element.startsWith("i:")) {
            int index = Integer.parseInt(element.substring(2));
            return index < list.size() ? index : -1;
        }
        JsonNode wanted = parse(element.substring(2));
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (element.startsWith("v:") ? item.equals(wanted) : matchesKey(item, wanted)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matchesKey(JsonNode item, JsonNode key) {
        if (!item.isObject()) {
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = key.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().equals(item.get(field.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** How upstream prints a path step in messages: {@code .replicas}, {@code [name="c"]}, {@code [="x"]}, {@code [0]}. */
    public static String describe(String element) {
        String body = element.substring(2);
        switch (element.charAt(0)) {
            case 'f':
                return "." + body;
            case 'i':
                return "[" + body + "]";
            case 'v':
                return "[=" + body + "]";
            case 'k': {
                StringBuilder text = new StringBuilder("[");
                Iterator<Map.Entry<String, JsonNode>> fields = parse(body).fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    text.append(field.getKey()).append('=').append(compact(field.getValue()));
                    if (fields.hasNext()) {
                        text.append(',');
                    }
                }
                return text.append(']').toString();
            }
            default:
                return element;
        }
    }

    public static String describe(List<String> path) {
        StringBuilder text = new StringBuilder();
        path.forEach(element -> text.append(describe(element)));
        return text.toString();
    }

    static boolean valid(String element) {
        if (element.length() < 2 || element.charAt(1) != ':' || "fikv".indexOf(element.charAt(0)) < 0) {
            return false;
        }
        try {
            switch (element.charAt(0)) {
                case 'i' -> Integer.parseInt(element.substring(2));
                case 'k' -> {
                    if (!parse(element.substring(2)).isObject()) {
                        return false;
                    }
                }
                case 'v' -> parse(element.substring(2));
                default -> {
                }
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    private static String compact(JsonNode value) {
        return value.toString();
    }
}
