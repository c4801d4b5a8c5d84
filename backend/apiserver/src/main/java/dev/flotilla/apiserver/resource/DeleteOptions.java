package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.api.status.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A DELETE's options (body or query): preconditions on uid and resourceVersion, propagation policy. */
record DeleteOptions(String preconditionUid, String preconditionResourceVersion, String propagationPolicy,
        Boolean orphanDependents, Long gracePeriodSeconds) {

    static final List<String> POLICIES = List.of("Foreground", "Background", "Orphan");

    static DeleteOptions from(ApiRequest request) {
        JsonNode body = null;
        if (request.body() != null && request.body().length > 0) {
            try {
                body = Json.mapper().readTree(request.body());
            } catch (IOException e) {
                throw ApiError.badRequest("the DeleteOptions body could not be decoded: " + e.getMessage().split("\n")[0]);
            }
            if (!(body instanceof ObjectNode)) {
                throw ApiError.badRequest("the DeleteOptions body must be an object");
            }
        }
        String policy = body != null && body.hasNonNull("propagationPolicy") ? body.get("propagationPolicy").asText()
                : request.queryParam("propagationPolicy");
        String orphan = body != null && body.hasNonNull("orphanDependents") ? body.get("orphanDependents").asText()
                : request.queryParam("orphanDependents");
        Boolean orphanDependents = orphan == null || orphan.isEmpty() ? null : Boolean.valueOf(orphan);
        validate(policy, orphanDependents);
        JsonNode preconditions = body == null ? null : body.get("preconditions");
        String grace = body != null && body.hasNonNull("gracePeriodSeconds") ? body.get("gracePeriodSeconds").asText()
                : request.queryParam("gracePeriodSeconds");
        Long gracePeriod = null;
        if (grace != null && !grace.isEmpty()) {
            try {
                gracePeriod = Long.parseLong(grace);
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("gracePeriodSeconds: Invalid value: \"" + grace + "\": must be an integer");
            }
        }
        return new DeleteOptions(
                preconditions == null ? null : text(preconditions.get("uid")),
                preconditions == null ? null : text(preconditions.get("resourceVersion")),
                policy, orphanDependents, gracePeriod);
    }

    /** Upstream's ValidateDeleteOptions: a 422 on DeleteOptions.meta.k8s.io. */
    private static void validate(String policy, Boolean orphanDependents) {
        List<FieldError> errors = new ArrayList<>();
        if (policy != null && orphanDependents != null) {
            errors.add(FieldError.invalid("propagationPolicy", policy,
                    "orphanDependents and deletionPropagation cannot be both set"));
        }
        if (policy != null && !POLICIES.contains(policy)) {
            errors.add(FieldError.notSupported("propagationPolicy", policy, POLICIES));
        }
        if (!errors.isEmpty()) {
            throw ApiError.invalid("meta.k8s.io", "DeleteOptions", "", errors);
        }
    }

    /** The policy in force: the one asked for, else the legacy orphanDependents flag, else null (the kind's default). */
    String effectivePolicy() {
        if (propagationPolicy != null) {
            return propagationPolicy;
        }
        if (orphanDependents != null) {
            return orphanDependents ? "Orphan" : "Background";
        }
        return null;
    }

    void checkPreconditions(ResourceType type, String name, ObjectNode current) {
        ObjectMetadata meta = ObjectMetadata.of(current);
        if (preconditionUid != null && !preconditionUid.equals(meta.uid())) {
            throw ApiError.conflict(type.group(), type.resource(), name, "Precondition failed: UID in precondition: "
                    + preconditionUid + ", UID in object meta: " + meta.uid());
        }
        if (preconditionResourceVersion != null && !preconditionResourceVersion.equals(meta.resourceVersion())) {
            throw ApiError.conflict(type.group(), type.resource(), name, "Precondition failed: ResourceVersion in "
                    + "precondition: " + preconditionResourceVersion + ", ResourceVersion in object meta: "
                    + meta.resourceVersion());
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
