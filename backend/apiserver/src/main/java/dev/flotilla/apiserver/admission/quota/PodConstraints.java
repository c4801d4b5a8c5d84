package dev.flotilla.apiserver.admission.quota;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Upstream's pod quota constraint: when a quota limits cpu or memory requests or limits, every
 * container (and init container) must state them, or the pod is refused with
 * {@code must specify limits.cpu for: c; requests.memory for: c,d}.
 */
final class PodConstraints {

    private static final Set<String> CONSTRAINED = Set.of("cpu", "memory", "requests.cpu", "requests.memory",
            "limits.cpu", "limits.memory");

    private PodConstraints() {
    }

    static Optional<String> missing(Pod pod, Set<String> quotaResources) {
        Set<String> required = new HashSet<>(quotaResources);
        required.retainAll(CONSTRAINED);
        if (required.isEmpty() || pod.getSpec() == null) {
            return Optional.empty();
        }
        Map<String, Set<String>> missing = new TreeMap<>();
        List<Container> containers = new ArrayList<>();
        if (pod.getSpec().getContainers() != null) {
            containers.addAll(pod.getSpec().getContainers());
        }
        if (pod.getSpec().getInitContainers() != null) {
            containers.addAll(pod.getSpec().getInitContainers());
        }
        for (Container container : containers) {
            Set<String> stated = stated(container);
            for (String resource : required) {
                if (!stated.contains(resource)) {
                    missing.computeIfAbsent(resource, r -> new TreeSet<>()).add(container.getName());
                }
            }
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("must specify " + missing.entrySet().stream()
                .map(e -> e.getKey() + " for: " + String.join(",", e.getValue()))
                .collect(Collectors.joining("; ")));
    }

    /** The quota names a container's resources cover; a limit without a request also defaults the request. */
    private static Set<String> stated(Container container) {
        Map<String, Quantity> requests = container.getResources() == null ? null : container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources() == null ? null : container.getResources().getLimits();
        Set<String> stated = new HashSet<>();
        for (String name : List.of("cpu", "memory")) {
            boolean limited = limits != null && limits.containsKey(name);
            if (limited || requests != null && requests.containsKey(name)) {
                stated.add(name);
                stated.add("requests." + name);
            }
            if (limited) {
                stated.add("limits." + name);
            }
        }
        return stated;
    }
}
