package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.FieldError;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Pods: spec defaults, validation, status Pending with the QoS class on create, the spec rules for
 * updates (only images, activeDeadlineSeconds, added tolerations and a shorter grace period may
 * change), and graceful deletion: a pod bound to a node stays, marked for deletion, until its node
 * confirms or the grace period is forced to 0; an unbound pod goes at once.
 */
@Singleton
public class PodStrategy implements KindStrategy {

    private static final String UPDATE_FORBIDDEN = "pod updates may not change fields other than "
            + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
            + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
            + "(allow it to be set to 1 if it was previously negative)";

    @Override
    public Set<String> kinds() {
        return Set.of("/Pod");
    }

    @Override
    public void prepareForCreate(ObjectNode pod) {
        PodDefaults.apply(pod.with("spec"));
        ObjectNode status = pod.with("status");
        status.put("phase", "Pending");
        status.put("qosClass", qosClass(pod.path("spec")));
    }

    @Override
    public List<FieldError> validate(ObjectNode pod) {
        List<FieldError> errors = new ArrayList<>(PodDefaults.validateSpec(pod.path("spec"), "spec"));
        errors.addAll(ClaimSpecValidation.validateEphemeralClaimNames(pod));
        return errors;
    }

    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        PodDefaults.apply(updated.with("spec"));
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(updated));
        ObjectNode newSpec = mutableFieldsCleared(updated.path("spec"));
        ObjectNode oldSpec = mutableFieldsCleared(old.path("spec"));
        // The scheduler binds through pods/binding, not update; nodeName may not be set by update either.
        if (!newSpec.equals(oldSpec)) {
            errors.add(FieldError.forbidden("spec", UPDATE_FORBIDDEN));
        }
        return errors;
    }

    @Override
    public long gracePeriodSeconds(ObjectNode pod, Long requested) {
        if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
            return 0;
        }
        long grace = requested != null ? requested : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
        return Math.max(grace, 0);
    }

    private static ObjectNode mutableFieldsCleared(JsonNode spec) {
        ObjectNode copy = spec.isObject() ? ((ObjectNode) spec).deepCopy() : new ObjectNode(null);
        copy.remove(List.of("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"));
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode container : copy.path(list)) {
                if (container instanceof ObjectNode c) {
                    c.remove(List.of("image", "imagePullPolicy"));
                }
            }
        }
        return copy;
    }

    /** Guaranteed when every container sets equal cpu and memory requests and limits; BestEffort when none set any. */
    static String qosClass(JsonNode spec) {
        boolean any = false;
        boolean guaranteed = true;
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode container : spec.path(list)) {
                JsonNode requests = container.path("resources").path("requests");
                JsonNode limits = container.path("resources").path("limits");
                if (!requests.isEmpty() || !limits.isEmpty()) {
                    any = true;
                }
                for (String resource : List.of("cpu", "memory")) {
                    JsonNode limit = limits.get(resource);
                    JsonNode request = requests.has(resource) ? requests.get(resource) : limit;
                    if (limit == null || !limit.asText().equals(request.asText())) {
                        guaranteed = false;
                    }
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
