package dev.flotilla.api.resource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.status.FieldError;
import java.util.List;

/**
 * A custom resource's validation rules (a CRD schema's {@code x-kubernetes-validations}), already
 * compiled: checks a whole object, and on update the object it replaces, and returns one field error
 * per failed rule.
 */
public interface ValidationRules {

    /** No rules: nothing to check. */
    ValidationRules NONE = (object, old) -> List.of();

    /** Problems of {@code object}; {@code old} is the stored object on update, null on create. */
    List<FieldError> validate(JsonNode object, JsonNode old);
}
