package dev.flotilla.node.eviction;

import dev.flotilla.api.quota.Quantities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Upstream's words for evictions and admission refusals, and the annotations of the Evicted event. */
public final class EvictionMessages {

    /** The status reason of an evicted or refused pod, and the reason of its event. */
    public static final String REASON = "Evicted";
    public static final String OFFENDING_CONTAINERS = "offending_containers";
    public static final String OFFENDING_CONTAINERS_USAGE = "offending_containers_usage";
    public static final String STARVED_RESOURCE = "starved_resource";

    private EvictionMessages() {
    }

    /** A quantity as Go prints a BinarySI one: {@code 100Mi}, {@code 15443212Ki}, {@code 1023}. */
    public static String bytes(long amount) {
        return Quantities.format(BigDecimal.valueOf(amount), true);
    }

    /**
     * "The node was low on resource: memory. Threshold quantity: 100Mi, available: 89812Ki. " and one
     * "Container main was using 344Ki, request is 0, has larger consumption of memory. " per
     * container above its request; the annotations name those containers, their usage and the resource.
     */
    public static Eviction evicted(Threshold threshold, Observation observation, Pod pod, PodUsage usage) {
        String resource = threshold.signal().resource();
        StringBuilder message = new StringBuilder("The node was low on resource: " + resource + ". ");
        if (observation != null) {
            message.append("Threshold quantity: ").append(bytes(threshold.amount(observation.capacity())))
                    .append(", available: ").append(bytes(observation.available())).append(". ");
        }
        List<String> containers = new ArrayList<>();
        List<String> usages = new ArrayList<>();
        Map<String, Long> perContainer = usage == null ? Map.of() : usage.perContainer(resource);
        for (Container container : pod.getSpec().getContainers()) {
            Long used = perContainer.get(container.getName());
            if (used == null) {
                continue;
            }
            Quantity request = container.getResources() == null || container.getResources().getRequests() == null
                    ? null : container.getResources().getRequests().get(resource);
            long requested = request == null ? 0 : request.getNumericalAmount().longValue();
            if (used > requested) {
                message.append("Container ").append(container.getName()).append(" was using ").append(bytes(used))
                        .append(", request is ").append(request == null ? "0" : request.toString())
                        .append(", has larger consumption of ").append(resource).append(". ");
                containers.add(container.getName());
                usages.add(bytes(used));
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(OFFENDING_CONTAINERS, String.join(",", containers));
        annotations.put(OFFENDING_CONTAINERS_USAGE, String.join(",", usages));
        annotations.put(STARVED_RESOURCE, resource);
        return new Eviction(message.toString(), annotations);
    }

    /** "The node had condition: [DiskPressure]. ", Go's printing of the list of conditions. */
    public static String nodeHadCondition(Set<String> conditions) {
        return "The node had condition: [" + String.join(" ", conditions) + "]. ";
    }

    /** An eviction's message and its event's annotations. */
    public record Eviction(String message, Map<String, String> annotations) {
    }
}
