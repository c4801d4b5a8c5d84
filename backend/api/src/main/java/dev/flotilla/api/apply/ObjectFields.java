package dev.flotilla.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The field set of an object under its shape, and the comparison of two versions of an object that
 * decides which fields a write changed.
 */
public final class ObjectFields {

    private ObjectFields() {
    }

    /** Every field the object sets: scalars, atomic values, list items and keyed maps, as upstream counts them. */
    public static FieldSet of(JsonNode object, FieldShape shape) {
        FieldSet set = new FieldSet();
        if (object != null) {
            children(object, shape, set);
        }
        return set;
    }

    private static void children(JsonNode value, FieldShape shape, FieldSet node) {
        if (value.isObject() && !shape.atomic()) {
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isNull()) {
                    member(field.getValue(), shape.field(field.getKey()),
                            node.child(PathElements.field(field.getKey())));
                }
            }
        } else if (value.isArray() && shape.listType() != FieldShape.ListType.ATOMIC) {
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (shape.listType() == FieldShape.ListType.SET) {
                    node.child(PathElements.value(item)).markMember();
                } else {
                    FieldSet child = node.child(PathElements.item(item, shape.listKeys(), i));
                    child.markMember();
                    children(item, shape.items(), child);
                }
            }
        }
    }

    private static void member(JsonNode value, FieldShape shape, FieldSet node) {
        boolean granular = value.isObject() && !shape.atomic()
                || value.isArray() && shape.listType() != FieldShape.ListType.ATOMIC;
        if (!granular || value.isEmpty() || shape.keyedMap()) {
            node.markMember();
        }
        if (granular) {
            children(value, shape, node);
        }
    }

    /** The value at {@code path} in {@code object}, or null. */
    public static JsonNode valueAt(JsonNode object, List<String> path) {
        JsonNode node = object;
        for (String element : path) {
            node = PathElements.child(node, element);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /**
     * The members of {@code after} that are new or whose value differs from {@code before}; with
     * {@link #removed} this is the change a write made (upstream's Added + Modified).
     */
    public static FieldSet changed(JsonNode before, FieldSet beforeSet, JsonNode after, FieldSet afterSet) {
        return afterSet.filter(path -> !beforeSet.contains(path)
                || afterSet.isLeaf(path) && !Objects.equals(valueAt(before, path), valueAt(after, path)));
    }

    public static FieldSet removed(FieldSet beforeSet, FieldSet afterSet) {
        return beforeSet.minus(afterSet);
    }
}
