package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.patch.MergeKeys;
import dev.flotilla.api.status.ApiError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strategic merge patch, the default of {@code kubectl apply}, {@code patch}, {@code label} and
 * {@code scale}: maps merge as in a merge patch, lists of objects with a merge key (see
 * {@link MergeKeys}) merge item by item, string sets merge as sets, other lists are replaced. The
 * directives {@code $patch} (replace, delete, merge), {@code $retainKeys},
 * {@code $deleteFromPrimitiveList/<field>} and {@code $setElementOrder/<field>} are honoured and
 * never stored.
 */
final class StrategicMergePatch {

    private static final String PATCH = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM = "$deleteFromPrimitiveList/";
    private static final String ELEMENT_ORDER = "$setElementOrder/";

    private StrategicMergePatch() {
    }

    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        String directive = patch.path(PATCH).asText("");
        if (directive.equals("replace")) {
            ObjectNode replaced = ((ObjectNode) patch).deepCopy();
            replaced.remove(PATCH);
            return replaced;
        }
        if (directive.equals("delete")) {
            return null;
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target
                : JsonNodeFactory.instance.objectNode();
        JsonNode retain = patch.get(RETAIN_KEYS);
        if (retain != null && retain.isArray()) {
            Set<String> keep = new HashSet<>();
            retain.forEach(k -> keep.add(k.asText()));
            result.retain(keep);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            if (name.startsWith(DELETE_FROM)) {
                deleteFromPrimitiveList(result, name.substring(DELETE_FROM.length()), value);
                continue;
            }
            if (name.startsWith("$")) {
                continue; // $patch, $retainKeys, $setElementOrder: applied above or order-only
            }
            if (value.isNull()) {
                result.remove(name);
            } else if (value.isArray()) {
                result.set(name, mergeList(name, result.get(name), (ArrayNode) value));
            } else if (value.isObject()) {
                JsonNode merged = apply(result.get(name), value);
                if (merged == null) {
                    result.remove(name);
                } else {
                    result.set(name, merged);
                }
            } else {
                result.set(name, value.deepCopy());
            }
        }
        return result;
    }

    private static JsonNode mergeList(String field, JsonNode current, ArrayNode patch) {
        if (MergeKeys.isPrimitiveSet(field)) {
            ArrayNode merged = current != null && current.isArray() ? ((ArrayNode) current).deepCopy()
                    : JsonNodeFactory.instance.arrayNode();
            Set<String> present = new HashSet<>();
            merged.forEach(v -> present.add(v.asText()));
            patch.forEach(v -> {
                if (present.add(v.asText())) {
                    merged.add(v.deepCopy());
                }
            });
            return merged;
        }
        List<JsonNode> items = new ArrayList<>();
        patch.forEach(items::add);
        if (current != null) {
            current.forEach(items::add);
        }
        Optional<String> key = MergeKeys.forField(field, items);
        boolean replaceAll = false;
        for (JsonNode item : patch) {
            if (item.isObject() && item.path(PATCH).asText("").equals("replace")) {
                replaceAll = true;
            }
        }
        if (key.isEmpty() || current == null || !current.isArray() || replaceAll) {
            ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
            for (JsonNode item : patch) {
                if (item.isObject() && item.has(PATCH)) {
                    continue;
                }
                replaced.add(item.deepCopy());
            }
            return replaced;
        }
        String mergeKey = key.get();
        ArrayNode merged = ((ArrayNode) current).deepCopy();
        for (JsonNode item : patch) {
            if (!item.isObject() || !item.has(mergeKey)) {
                throw ApiError.badRequest("strategic merge patch: every item of " + field + " needs its merge key \""
                        + mergeKey + "\"");
            }
            int index = indexOf(merged, mergeKey, item.get(mergeKey));
            if (item.path(PATCH).asText("").equals("delete")) {
                if (index >= 0) {
                    merged.remove(index);
                }
            } else if (index >= 0) {
                merged.set(index, apply(merged.get(index), item));
            } else {
                ObjectNode added = ((ObjectNode) item).deepCopy();
                added.remove(PATCH);
                merged.add(added);
            }
        }
        return merged;
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (value.equals(list.get(i).get(key))) {
                return i;
            }
        }
        return -1;
    }

    private static void deleteFromPrimitiveList(ObjectNode target, String field, JsonNode values) {
        JsonNode list = target.get(field);
        if (list == null || !list.isArray()) {
            return;
        }
        Set<JsonNode> remove = new HashSet<>();
        values.forEach(remove::add);
        ArrayNode kept = JsonNodeFactory.instance.arrayNode();
        list.forEach(v -> {
            if (!remove.contains(v)) {
                kept.add(v);
            }
        });
        target.set(field, kept);
    }
}
