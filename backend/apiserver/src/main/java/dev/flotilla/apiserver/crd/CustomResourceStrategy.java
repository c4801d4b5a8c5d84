package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.strategy.KindStrategy;
import java.util.List;
import java.util.Set;

/**
 * The strategy of every custom resource: its CRD's schema defaults on create and update, and the
 * schema's validation. Pruning happens earlier, with field validation, as upstream decodes.
 */
public final class CustomResourceStrategy implements KindStrategy {

    private final ResourceType type;

    public CustomResourceStrategy(ResourceType type) {
        this.type = type;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(type.group() + "/" + type.kind());
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        if (type.custom().terminating()) {
            throw ApiError.of(405, "MethodNotAllowed",
                    "create not allowed while custom resource definition is terminating");
        }
        SchemaDefaults.apply(object, type.custom().schema());
        if (!object.path("metadata").has("generation")) {
            ((ObjectNode) object.path("metadata")).put("generation", 1);
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        SchemaDefaults.apply(updated, type.custom().schema());
    }

    @Override
    public List<FieldError> validate(ObjectNode object) {
        return SchemaValidator.validate(object, type.custom().schema());
    }
}
