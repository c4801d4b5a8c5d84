package dev.flotilla.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod-template-hash label: a stable FNV-1a hash of the template (canonical JSON, keys sorted,
 * plus the collision count), written with upstream's SafeEncodeString alphabet so it never spells a
 * word; and template equality ignoring that label (upstream's EqualIgnoreHash).
 */
public final class PodTemplates {

    public static final String HASH_LABEL = "pod-template-hash";
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

    private PodTemplates() {
    }

    public static String hash(PodTemplateSpec template, Integer collisionCount) {
        String canonical = Json.mapper().valueToTree(sorted(withoutHash(template))).toString()
                + (collisionCount == null ? "" : "#" + collisionCount);
        int hash = 0x811c9dc5;
        for (byte b : canonical.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        String digits = Integer.toUnsignedString(hash);
        StringBuilder encoded = new StringBuilder();
        for (char c : digits.toCharArray()) {
            encoded.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
        }
        return encoded.toString();
    }

    public static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
        return withoutHash(a).equals(withoutHash(b));
    }

    /**
     * The template as a JSON tree without the pod-template-hash label, and without nulls, empty
     * objects and empty lists, which Go's typed equality (and so kubectl's) does not tell from absent
     * fields: a template kubectl patches back on rollback must equal the ReplicaSet's.
     */
    static JsonNode withoutHash(PodTemplateSpec template) {
        JsonNode tree = Json.mapper().valueToTree(template);
        JsonNode labels = tree.path("metadata").path("labels");
        if (labels instanceof ObjectNode map) {
            map.remove(HASH_LABEL);
        }
        prune(tree);
        return tree;
    }

    /** Removes null, empty-object and empty-array members, innermost first; true when the node is then empty. */
    private static boolean prune(JsonNode node) {
        if (node instanceof ObjectNode object) {
            java.util.List<String> empty = new java.util.ArrayList<>();
            object.fields().forEachRemaining(e -> {
                if (e.getValue().isNull() || prune(e.getValue())) {
                    empty.add(e.getKey());
                }
            });
            object.remove(empty);
            return object.isEmpty();
        }
        if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
            array.forEach(PodTemplates::prune);
            return array.isEmpty();
        }
        return false;
    }

    private static Object sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), sorted(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            java.util.List<Object> list = new java.util.ArrayList<>();
            node.forEach(n -> list.add(sorted(n)));
            return list;
        }
        return node;
    }
}
