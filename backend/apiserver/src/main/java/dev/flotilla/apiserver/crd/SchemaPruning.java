package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's pruning: fields a custom resource's structural schema does not declare are dropped,
 * unless the schema preserves unknown fields there ({@code x-kubernetes-preserve-unknown-fields}) or
 * takes any key ({@code additionalProperties}). apiVersion, kind and metadata are always kept, at the
 * root and in embedded resources.
 */
public final class SchemaPruning {

    private static final Set<String> ALWAYS_KEPT = Set.of("apiVersion", "kind", "metadata");

    private SchemaPruning() {
    }

    /** Removes the unknown fields of a whole custom resource and returns their paths ({@code spec.foo}). */
    public static List<String> prune(ObjectNode object, JsonNode schema) {
        List<String> pruned = new ArrayList<>();
        if (schema != null && !schema.isNull()) {
            pruneObject(object, schema, "", true, pruned);
        }
        return pruned;
    }

    private static void walk(JsonNode value, JsonNode schema, String path, List<String> pruned) {
        if (value instanceof ObjectNode object) {
            if (schema.has("properties") || schema.has("additionalProperties")
                    || !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                pruneObject(object, schema, path, schema.path("x-kubernetes-embedded-resource").asBoolean(false),
                        pruned);
            }
        } else if (value != null && value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(value.get(i), schema.get("items"), path + "[" + i + "]", pruned);
            }
        }
    }

    private static void pruneObject(ObjectNode object, JsonNode schema, String path, boolean resource,
            List<String> pruned) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String fieldPath = path.isEmpty() ? name : path + "." + name;
            JsonNode child = properties.get(name);
            // metadata is ObjectMeta whatever the schema declares (kubebuilder declares {type: object}).
            if (resource && ALWAYS_KEPT.contains(name) && (child == null || name.equals("metadata"))) {
                continue;
            }
            if (child != null) {
                walk(field.getValue(), child, fieldPath, pruned);
            } else if (additional != null && additional.isObject()) {
                walk(field.getValue(), additional, fieldPath, pruned);
            } else if (!preserve && !(additional != null && additional.asBoolean(false))) {
                pruned.add(fieldPath);
                fields.remove();
            }
        }
    }
}
