package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import java.io.IOException;

/** A DELETE's options (body or query): preconditions on uid and resourceVersion, propagation policy. */
record DeleteOptions(String preconditionUid, String preconditionResourceVersion, String propagationPolicy,
        Long gracePeriodSeconds) {

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
        if (policy != null && !policy.equals("Foreground") && !policy.equals("Background") && !policy.equals("Orphan")) {
            throw ApiError.badRequest("propagationPolicy: Unsupported value: \"" + policy
                    + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }
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
                policy, gracePeriod);
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
