package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The garbage collector's finalizers a DELETE's propagation policy puts on an object (upstream's
 * deletionFinalizersForGarbageCollection): {@code orphan} for Orphan, {@code foregroundDeletion} for
 * Foreground, neither for Background. The garbage collector removes them once it has orphaned or
 * deleted the dependents.
 */
final class DeletionFinalizers {

    static final String ORPHAN = "orphan";
    static final String FOREGROUND = "foregroundDeletion";

    private DeletionFinalizers() {
    }

    /** Sets the object's finalizers for this delete; true when they changed. */
    static boolean apply(ObjectNode object, DeleteOptions options, String defaultPolicy) {
        List<String> current = finalizers(object);
        String policy = options.effectivePolicy();
        if (policy == null) {
            // No policy asked: an earlier delete's choice stays, else the kind's default.
            policy = current.contains(ORPHAN) ? "Orphan" : current.contains(FOREGROUND) ? "Foreground" : defaultPolicy;
        }
        List<String> wanted = new ArrayList<>();
        for (String finalizer : current) {
            if (!finalizer.equals(ORPHAN) && !finalizer.equals(FOREGROUND)) {
                wanted.add(finalizer);
            }
        }
        if (policy.equals("Orphan")) {
            wanted.add(ORPHAN);
        } else if (policy.equals("Foreground")) {
            wanted.add(FOREGROUND);
        }
        if (new java.util.HashSet<>(wanted).equals(new java.util.HashSet<>(current))) {
            return false;
        }
        ObjectNode metadata = object.with("metadata");
        if (wanted.isEmpty()) {
            metadata.remove("finalizers");
        } else {
            ArrayNode array = metadata.putArray("finalizers");
            wanted.forEach(array::add);
        }
        return true;
    }

    private static List<String> finalizers(ObjectNode object) {
        List<String> names = new ArrayList<>();
        JsonNode array = object.path("metadata").path("finalizers");
        array.forEach(f -> names.add(f.asText()));
        return names;
    }
}
