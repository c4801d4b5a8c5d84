package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.FieldError;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/**
 * Namespaces carry their own name as the {@code kubernetes.io/metadata.name} label, start Active with
 * the {@code kubernetes} finalizer in spec.finalizers, and turn Terminating when deleted; they stay
 * until the namespace controller has emptied them and removed that finalizer through
 * {@code namespaces/<name>/finalize}.
 */
@Singleton
public class NamespaceStrategy implements KindStrategy {

    static final String NAME_LABEL = "kubernetes.io/metadata.name";
    public static final String KUBERNETES_FINALIZER = "kubernetes";

    @Override
    public Set<String> kinds() {
        return Set.of("/Namespace");
    }

    @Override
    public void prepareForCreate(ObjectNode namespace) {
        String name = namespace.path("metadata").path("name").asText("");
        if (!name.isEmpty()) {
            namespace.with("metadata").with("labels").put(NAME_LABEL, name);
        }
        namespace.with("status").put("phase", "Active");
        com.fasterxml.jackson.databind.node.ArrayNode finalizers = namespace.with("spec").withArray("finalizers");
        for (com.fasterxml.jackson.databind.JsonNode finalizer : finalizers) {
            if (finalizer.asText().equals(KUBERNETES_FINALIZER)) {
                return;
            }
        }
        finalizers.add(KUBERNETES_FINALIZER);
    }

    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        updated.with("metadata").with("labels").put(NAME_LABEL, updated.path("metadata").path("name").asText());
        if (!updated.has("status") && old.has("status")) {
            updated.set("status", old.get("status").deepCopy());
        }
        // spec.finalizers change only through the finalize subresource.
        if (old.has("spec")) {
            updated.set("spec", old.get("spec").deepCopy());
        } else {
            updated.remove("spec");
        }
    }

    @Override
    public void prepareForDelete(ObjectNode namespace) {
        namespace.with("status").put("phase", "Terminating");
    }

    @Override
    public boolean deletionHeld(ObjectNode namespace) {
        return !namespace.path("spec").path("finalizers").isEmpty();
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        return List.of();
    }
}
