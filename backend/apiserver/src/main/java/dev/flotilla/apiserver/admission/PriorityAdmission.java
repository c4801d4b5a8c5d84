package dev.flotilla.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.resource.ResourceStore;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's Priority admission on pod create: {@code spec.priority} (and preemptionPolicy) from the
 * named PriorityClass, or from the cluster's globalDefault class, so the scheduler and eviction read a
 * number from the pod itself instead of racing to learn the class. An unknown class, or a priority
 * the client set that disagrees with its class, is refused (403) as upstream.
 */
@Singleton
public class PriorityAdmission implements AdmissionPlugin {

    /** The two classes upstream creates at start; resolved here even before anyone stores them. */
    private static final Map<String, Integer> SYSTEM_CLASSES = Map.of(
            "system-cluster-critical", 2_000_000_000,
            "system-node-critical", 2_000_001_000);

    private final ResourceStore store;
    private final ResourceRegistry registry;

    public PriorityAdmission(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "Priority";
    }

    @Override
    public void admit(AdmissionAttributes attributes) {
        if (attributes.operation() != AdmissionOperation.CREATE || !attributes.is("", "pods")) {
            return;
        }
        ObjectNode spec = attributes.object().with("spec");
        String className = spec.path("priorityClassName").asText("");
        Optional<ObjectNode> priorityClass = className.isEmpty() ? globalDefault() : find(className);
        int value;
        String preemption = "PreemptLowerPriority";
        if (priorityClass.isPresent()) {
            value = priorityClass.get().path("value").asInt();
            preemption = priorityClass.get().path("preemptionPolicy").asText(preemption);
            spec.put("priorityClassName", priorityClass.get().path("metadata").path("name").asText());
        } else if (SYSTEM_CLASSES.containsKey(className)) {
            value = SYSTEM_CLASSES.get(className);
        } else if (!className.isEmpty()) {
            throw attributes.forbidden("no PriorityClass with name " + className + " was found");
        } else {
            value = 0;
        }
        if (spec.hasNonNull("priority") && spec.path("priority").asInt() != value) {
            throw attributes.forbidden("the integer value of priority (" + spec.path("priority").asInt()
                    + ") must not be provided in pod spec; priority admission controller computed " + value
                    + " from the given PriorityClass name");
        }
        spec.put("priority", value);
        if (!spec.hasNonNull("preemptionPolicy")) {
            spec.put("preemptionPolicy", preemption);
        }
    }

    private Optional<ObjectNode> find(String className) {
        return store.get(priorityClasses(), null, className);
    }

    private Optional<ObjectNode> globalDefault() {
        // From the watch cache: every pod create without a class asks, and classes change rarely.
        return store.cachedAny(priorityClasses(), null).items().stream()
                .map(ResourceStore::decode)
                .filter(candidate -> candidate.path("globalDefault").asBoolean(false))
                .findFirst();
    }

    private ResourceType priorityClasses() {
        return registry.find("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow();
    }
}
