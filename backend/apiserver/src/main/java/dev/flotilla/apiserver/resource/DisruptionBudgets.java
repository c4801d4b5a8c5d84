package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.api.selector.SelectorParseException;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.storage.StoredObject;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The PodDisruptionBudget side of an eviction: which budgets cover a pod, and taking one disruption
 * from a budget (recorded in its status for the disruption controller) or refusing with 429.
 */
@Singleton
class DisruptionBudgets {

    static final String VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
    /** Upstream's cap on evictions the disruption controller has not confirmed yet. */
    private static final int MAX_DISRUPTED_PODS = 2000;

    private final ResourceStore store;
    private final ResourceType budgets;

    DisruptionBudgets(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.budgets = registry.find("policy", "v1", "poddisruptionbudgets").orElseThrow();
    }

    /** Budgets in the pod's namespace whose selector matches it; an empty or missing selector matches nothing. */
    List<ObjectNode> covering(ObjectNode pod) {
        ObjectMetadata meta = ObjectMetadata.of(pod);
        List<ObjectNode> matching = new ArrayList<>();
        for (StoredObject stored : store.list(budgets, meta.namespace(), 0, 0, null).items()) {
            ObjectNode budget = ResourceStore.decode(stored);
            JsonNode selector = budget.path("spec").path("selector");
            try {
                LabelSelector parsed = selector.isObject() ? LabelSelector.fromMetaV1(Json.mapper().convertValue(
                        selector, io.fabric8.kubernetes.api.model.LabelSelector.class)) : LabelSelector.nothing();
                if (!parsed.isEmpty() && parsed.matches(ObjectPreparation.stringMap(meta.metadata().get("labels")))) {
                    matching.add(budget);
                }
            } catch (SelectorParseException | IllegalArgumentException e) {
                // A budget with a broken selector covers nothing, as upstream skips it.
            }
        }
        return matching;
    }

    /**
     * Takes one allowed disruption from the budget and records the pod as disrupted, with the
     * budget's resourceVersion as precondition (a 409 sends the caller round again).
     */
    void consume(ObjectNode budget, String podName, boolean dryRun) {
        ObjectMetadata meta = ObjectMetadata.of(budget);
        ObjectNode status = budget.with("status");
        if (status.path("observedGeneration").asLong(0) < budget.path("metadata").path("generation").asLong(0)) {
            throw tooManyRequests(10, "The disruption budget " + meta.name() + " is still being processed by the server.");
        }
        long allowed = status.path("disruptionsAllowed").asLong(0);
        if (allowed < 0) {
            throw forbidden(meta.name(), "pdb disruptions allowed is negative");
        }
        if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
            throw forbidden(meta.name(), "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if (allowed == 0) {
            throw tooManyRequests(0, "The disruption budget " + meta.name() + " needs "
                    + status.path("desiredHealthy").asLong(0) + " healthy pods and has "
                    + status.path("currentHealthy").asLong(0) + " currently");
        }
        status.put("disruptionsAllowed", allowed - 1);
        setDisruptionAllowedCondition(status, allowed - 1 > 0);
        if (dryRun) {
            return;
        }
        status.with("disruptedPods").put(podName, ObjectPreparation.now());
        store.update(budgets, meta.namespace(), meta.name(), budget, Requests.revisionOf(meta.resourceVersion()));
    }

    private static void setDisruptionAllowedCondition(ObjectNode status, boolean allowed) {
        ArrayNode conditions = status.withArray("conditions");
        ObjectNode condition = null;
        for (JsonNode existing : conditions) {
            if (existing.path("type").asText().equals("DisruptionAllowed")) {
                condition = (ObjectNode) existing;
            }
        }
        String value = allowed ? "True" : "False";
        if (condition == null) {
            condition = conditions.addObject();
            condition.put("type", "DisruptionAllowed");
        }
        if (!value.equals(condition.path("status").asText())) {
            condition.put("lastTransitionTime", ObjectPreparation.now());
        }
        condition.put("status", value);
        condition.put("reason", allowed ? "SufficientPods" : "InsufficientPods");
        condition.put("message", "");
    }

    private static ApiError tooManyRequests(int retryAfterSeconds, String cause) {
        Status status = new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure").withCode(429)
                .withReason("TooManyRequests").withMessage(VIOLATION).withNewDetails()
                .withRetryAfterSeconds(retryAfterSeconds == 0 ? null : retryAfterSeconds)
                .withCauses(new StatusCause(null, cause, "DisruptionBudget")).endDetails().build();
        return new ApiError(status);
    }

    private static ApiError forbidden(String name, String why) {
        return ApiError.of(403, "Forbidden", "poddisruptionbudgets.policy \"" + name + "\" is forbidden: " + why);
    }
}
