package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.strategy.KindStrategy;
import java.util.List;
import java.util.Set;

/**
 * The strategy of every custom resource: its CRD's schema defaults on create and update, and the
 * schema's validation, then its validation rules (x-kubernetes-validations), also on status updates. Pruning happens earlier, with field validation, as upstream decodes. Kinds
 * Flotilla itself defines as CRDs (the pod network's IPAMBlock) may add rules a schema cannot say;
 * their problems are reported together with the schema's.
 */
public final class CustomResourceStrategy implements KindStrategy {

    private final ResourceType type;
    private final KindStrategy platformRules;

    public CustomResourceStrategy(ResourceType type) {
        this(type, null);
    }

    /** {@code platformRules}: extra validation for a Flotilla-defined kind, or null. */
    public CustomResourceStrategy(ResourceType type, KindStrategy platformRules) {
        this.type = type;
        this.platformRules = platformRules;
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
    public void prepareForCreate(ObjectNode object, UserInfo creator) {
        prepareForCreate(object);
        if (platformRules != null) {
            platformRules.prepareForCreate(object, creator);
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        SchemaDefaults.apply(updated, type.custom().schema());
    }

    @Override
    public List<FieldError> validate(ObjectNode object) {
        List<FieldError> errors = schemaAndRules(object, null);
        if (platformRules == null || !errors.isEmpty()) {
            return errors;
        }
        return platformRules.validate(object);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        List<FieldError> errors = schemaAndRules(updated, old);
        if (platformRules == null || !errors.isEmpty()) {
            return errors;
        }
        return platformRules.validateUpdate(updated, old);
    }

    /** A status update is checked against the schema and the rules too, as upstream's status strategy does. */
    @Override
    public List<FieldError> validateStatusUpdate(ObjectNode updated, ObjectNode old) {
        return schemaAndRules(updated, old);
    }

    /** The schema's problems; only an object the schema accepts has its validation rules run. */
    private List<FieldError> schemaAndRules(ObjectNode object, ObjectNode old) {
        List<FieldError> errors = SchemaValidator.validate(object, type.custom().schema());
        if (!errors.isEmpty()) {
            return errors;
        }
        return type.custom().rules().validate(object, old);
    }
}
