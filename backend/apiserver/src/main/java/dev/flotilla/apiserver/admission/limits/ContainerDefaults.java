package dev.flotilla.apiserver.admission.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Upstream LimitRanger's mutation: a container that does not state a request or limit a
 * LimitRange's Container item defaults gets it, and the pod is annotated
 * {@code kubernetes.io/limit-ranger: LimitRanger plugin set: cpu, memory request for container c}.
 */
final class ContainerDefaults {

    static final String ANNOTATION = "kubernetes.io/limit-ranger";

    private ContainerDefaults() {
    }

    static void apply(ObjectNode pod, JsonNode limitRange) {
        Map<String, JsonNode> defaultRequests = new TreeMap<>();
        Map<String, JsonNode> defaultLimits = new TreeMap<>();
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            if (item.path("type").asText().equals("Container")) {
                // Upstream's LimitRangeItem defaults: default from max, defaultRequest from default, then from min.
                Map<String, JsonNode> limits = new TreeMap<>();
                Map<String, JsonNode> requests = new TreeMap<>();
                item.path("default").fields().forEachRemaining(e -> limits.put(e.getKey(), e.getValue()));
                item.path("max").fields().forEachRemaining(e -> limits.putIfAbsent(e.getKey(), e.getValue()));
                item.path("defaultRequest").fields().forEachRemaining(e -> requests.put(e.getKey(), e.getValue()));
                limits.forEach(requests::putIfAbsent);
                item.path("min").fields().forEachRemaining(e -> requests.putIfAbsent(e.getKey(), e.getValue()));
                defaultLimits.putAll(limits);
                defaultRequests.putAll(requests);
            }
        }
        if (defaultRequests.isEmpty() && defaultLimits.isEmpty()) {
            return;
        }
        List<String> set = new ArrayList<>();
        for (JsonNode container : pod.path("spec").path("containers")) {
            merge((ObjectNode) container, "container", defaultRequests, defaultLimits, set);
        }
        for (JsonNode container : pod.path("spec").path("initContainers")) {
            merge((ObjectNode) container, "init container", defaultRequests, defaultLimits, set);
        }
        if (!set.isEmpty()) {
            pod.with("metadata").with("annotations").put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", set));
        }
    }

    private static void merge(ObjectNode container, String kind, Map<String, JsonNode> defaultRequests,
            Map<String, JsonNode> defaultLimits, List<String> set) {
        ObjectNode resources = container.with("resources");
        ObjectNode requests = resources.with("requests");
        ObjectNode limits = resources.with("limits");
        List<String> setRequests = new ArrayList<>();
        List<String> setLimits = new ArrayList<>();
        // Upstream's pod defaulting has already copied a stated limit into a missing request.
        limits.fields().forEachRemaining(e -> {
            if (!requests.has(e.getKey()) && defaultRequests.containsKey(e.getKey())) {
                requests.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        defaultLimits.forEach((name, value) -> {
            if (!limits.has(name)) {
                limits.set(name, value.deepCopy());
                setLimits.add(name);
            }
        });
        defaultRequests.forEach((name, value) -> {
            if (!requests.has(name)) {
                requests.set(name, value.deepCopy());
                setRequests.add(name);
            }
        });
        String name = container.path("name").asText();
        if (!setRequests.isEmpty()) {
            set.add(String.join(", ", setRequests) + " request for " + kind + " " + name);
        }
        if (!setLimits.isEmpty()) {
            set.add(String.join(", ", setLimits) + " limit for " + kind + " " + name);
        }
        if (requests.isEmpty()) {
            resources.remove("requests");
        }
        if (limits.isEmpty()) {
            resources.remove("limits");
        }
    }
}
