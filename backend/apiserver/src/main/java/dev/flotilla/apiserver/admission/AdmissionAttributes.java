package dev.flotilla.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request as admission sees it (upstream's {@code admission.Attributes}): the operation, the
 * resource, the object (mutable while mutating plugins run), the stored object for updates and
 * deletes, who asks, the warnings plugins add for the response, and what plugins reserved for the
 * request that must be given back if it fails after them (a later plugin refuses, the store fails).
 */
public record AdmissionAttributes(AdmissionOperation operation, ResourceType type, String namespace, String subresource,
        ObjectNode object, ObjectNode oldObject, UserInfo user, boolean dryRun, List<String> warnings,
        List<Runnable> releases) {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionAttributes.class);

    public AdmissionAttributes(AdmissionOperation operation, ResourceType type, String namespace, String subresource,
            ObjectNode object, ObjectNode oldObject, UserInfo user, boolean dryRun) {
        this(operation, type, namespace, subresource, object, oldObject, user, dryRun, new ArrayList<>(),
                new ArrayList<>());
    }

    /** Registers how to give back what a plugin reserved (a quota charge) should the request fail later. */
    public void onFailure(Runnable release) {
        releases.add(release);
    }

    /** The request failed after admission: gives back every reservation, latest first; each is best effort. */
    public void failed() {
        for (int i = releases.size() - 1; i >= 0; i--) {
            try {
                releases.get(i).run();
            } catch (RuntimeException e) {
                LOG.warn("could not give back what admission reserved for {} {}/{}: {}", type.resource(), namespace,
                        name(), e.getMessage());
            }
        }
        releases.clear();
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
