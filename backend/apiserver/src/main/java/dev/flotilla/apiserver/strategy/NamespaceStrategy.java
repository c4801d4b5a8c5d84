package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.FieldError;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/** Namespaces carry their own name as the {@code kubernetes.io/metadata.name} label and start Active. */
@Singleton
public class NamespaceStrategy implements KindStrategy {

    static final String NAME_LABEL = "kubernetes.io/metadata.name";

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
        if (namespace.has("spec") && !namespace.path("spec").has("finalizers")) {
            namespace.remove("spec");
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        updated.with("metadata").with("labels").put(NAME_LABEL, updated.path("metadata").path("name").asText());
        if (!updated.has("status") && old.has("status")) {
            updated.set("status", old.get("status").deepCopy());
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        return List.of();
    }
}
