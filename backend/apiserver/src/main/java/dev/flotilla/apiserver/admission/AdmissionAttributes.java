package dev.flotilla.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import java.util.ArrayList;
import java.util.List;

/**
 * One request as admission sees it (upstream's {@code admission.Attributes}): the operation, the
 * resource, the object (mutable while mutating plugins run), the stored object for updates and
 * deletes, who asks, and the warnings plugins add for the response.
 */
public record AdmissionAttributes(AdmissionOperation operation, ResourceType type, String namespace, String subresource,
        ObjectNode object, ObjectNode oldObject, UserInfo user, boolean dryRun, List<String> warnings) {

    public AdmissionAttributes(AdmissionOperation operation, ResourceType type, String namespace, String subresource,
            ObjectNode object, ObjectNode oldObject, UserInfo user, boolean dryRun) {
        this(operation, type, namespace, subresource, object, oldObject, user, dryRun, new ArrayList<>());
    }

    /** The object's name: from the new object, else from the stored one. */
    public String name() {
        ObjectNode named = object != null ? object : oldObject;
        return named == null ? "" : named.path("metadata").path("name").asText("");
    }

    public boolean is(String group, String resource) {
        return type.group().equals(group) && type.resource().equals(resource) && subresource == null;
    }

    /** A 403 in upstream's admission words: {@code pods "web" is forbidden: <why>}. */
    public ApiError forbidden(String why) {
        return ApiError.forbidden(type.group(), type.resource(), name(), why);
    }
}
