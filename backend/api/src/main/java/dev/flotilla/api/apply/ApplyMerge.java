package dev.flotilla.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Merges an applied configuration into a live object by shape (granular objects field by field,
 * associative lists item by item, sets by value, atomic values replaced), and removes fields from an
 * object by path.
 */
public final class ApplyMerge {

    private ApplyMerge() {
    }

    /** {@code live} with {@code applied} merged in; {@code live} is changed in place and returned. */
    public static JsonNode merge(JsonNode live, JsonNode applied, FieldShape shape) {
        if (applied.isObject() && !shape.atomic() && live != null && live.isObject()) {
            ObjectNode result = (ObjectNode) live;
            Iterator<Map.Entry<String, JsonNode>> fields = applied.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isNull()) {
                    result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue(),
                            shape.field(field.getKey())));
                }
            }
            return result;
        }
        if (applied.isArray() && shape.listType() != FieldShape.ListType.ATOMIC && live != null && live.isArray()) {
            return mergeList((ArrayNode) live, (ArrayNode) applied, shape);
        }
        return applied.deepCopy();
    }

    private static ArrayNode mergeList(ArrayNode live, ArrayNode applied, FieldShape shape) {
        for (int i = 0; i < applied.size(); i++) {
            JsonNode item = applied.get(i);
            String element = shape.listType() == FieldShape.ListType.SET ? PathElements.value(item)
                    : PathElements.item(item, shape.listKeys(), i);
            int existing = PathElements.indexOf(live, element);
            if (existing < 0) {
                live.add(item.deepCopy());
            } else if (shape.listType() == FieldShape.ListType.MAP) {
                live.set(existing, merge(live.get(existing), item, shape.items()));
            }
        }
        return live;
    }

    /** Removes the value at {@code path} from {@code object}, if there is one. */
    public static void remove(JsonNode object, List<String> path) {
        if (path.isEmpty()) {
            return;
        }
        JsonNode parent = ObjectFields.valueAt(object, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode map && last.startsWith("f:")) {
            map.remove(last.substring(2));
        } else if (parent instanceof ArrayNode list && !last.startsWith("f:")) {
            int index = PathElements.indexOf(list, last);
            if (index >= 0) {
                list.remove(index);
            }
        }
    }
}
