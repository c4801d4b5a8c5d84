package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;

/**
 * Defaults a few kinds need from the server on create, as upstream sets them. Kind-specific
 * defaulting and validation will move to per-kind strategies as they are written.
 */
final class KindDefaults {

    private KindDefaults() {
    }

    static void apply(ResourceType type, ObjectNode object) {
        if (type.group().isEmpty() && type.resource().equals("namespaces")) {
            // Every namespace carries its own name as a label, and starts Active.
            String name = ObjectMetadata.of(object).name();
            ObjectNode labels = ObjectMetadata.of(object).metadata().with("labels");
            if (name != null) {
                labels.put("kubernetes.io/metadata.name", name);
            }
            object.with("status").put("phase", "Active");
        }
    }
}
