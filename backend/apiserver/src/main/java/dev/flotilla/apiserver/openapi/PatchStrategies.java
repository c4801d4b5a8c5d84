package dev.flotilla.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.patch.MergeKeys;

/**
 * Marks the lists that strategic merge patch merges instead of replacing, with upstream's
 * {@code x-kubernetes-patch-merge-key} and {@code x-kubernetes-patch-strategy} extensions. kubectl
 * apply computes its patches from these schemas, and the server applies them with its own strategic
 * merge patch: both must read the same table ({@link MergeKeys}), or a container removed from a
 * manifest would be sent as a whole list the server then merges, and never removed (or a partial list
 * would be sent that the server then stores as the whole list).
 */
final class PatchStrategies {

    private PatchStrategies() {
    }

    /** Adds the patch extensions to the schema of array property {@code field} of {@code owner}, if it has any. */
    static void annotate(Class<?> owner, String field, ObjectNode schema) {
        if (!schema.path("type").asText().equals("array")) {
            return;
        }
        MergeKeys.forType(owner.getSimpleName(), field).ifPresentOrElse(
                key -> schema.put("x-kubernetes-patch-merge-key", key).put("x-kubernetes-patch-strategy", "merge"),
                () -> {
                    if (MergeKeys.isPrimitiveSet(field) && schema.path("items").path("type").asText().equals("string")) {
                        schema.put("x-kubernetes-patch-strategy", "merge");
                    }
                });
    }
}
