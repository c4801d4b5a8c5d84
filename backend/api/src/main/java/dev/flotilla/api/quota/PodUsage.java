package dev.flotilla.api.quota;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

/**
 * What one pod charges against a quota, as upstream's pod evaluator counts it: a pod that has
 * finished charges nothing; its requests and limits are the larger of its containers' sum and its
 * biggest init container, plus its overhead.
 */
public final class PodUsage {

    private PodUsage() {
    }

    public static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** Terminating scope: pods with an active deadline. */
    public static boolean terminating(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getActiveDeadlineSeconds() != null
                && pod.getSpec().getActiveDeadlineSeconds() >= 0;
    }

    /** BestEffort: no container asks for or is limited in cpu or memory. */
    public static boolean bestEffort(Pod pod) {
        for (Container container : all(pod)) {
            ResourceRequirements resources = container.getResources();
            if (resources != null && (hasCpuOrMemory(resources.getRequests()) || hasCpuOrMemory(resources.getLimits()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasCpuOrMemory(Map<String, Quantity> values) {
        return values != null && (values.containsKey("cpu") || values.containsKey("memory"));
    }

    private static List<Container> all(Pod pod) {
        if (pod.getSpec() == null) {
            return List.of();
        }
        List<Container> containers = new java.util.ArrayList<>();
        if (pod.getSpec().getContainers() != null) {
            containers.addAll(pod.getSpec().getContainers());
        }
        if (pod.getSpec().getInitContainers() != null) {
            containers.addAll(pod.getSpec().getInitContainers());
        }
        return containers;
    }

    /** The pod's effective request ({@code limits == false}) or limit of one resource. */
    public static Quantities.Sum of(Pod pod, String resource, boolean limits) {
        Quantities.Sum containers = new Quantities.Sum();
        if (pod.getSpec() == null) {
            return containers;
        }
        for (Container container : nonNull(pod.getSpec().getContainers())) {
            containers.add(value(container, resource, limits));
        }
        for (Container init : nonNull(pod.getSpec().getInitContainers())) {
            Quantities.Sum one = new Quantities.Sum();
            one.add(value(init, resource, limits));
            containers.max(one);
        }
        if (pod.getSpec().getOverhead() != null) {
            containers.add(pod.getSpec().getOverhead().get(resource));
        }
        return containers;
    }

    private static List<Container> nonNull(List<Container> containers) {
        return containers == null ? List.of() : containers;
    }

    private static Quantity value(Container container, String resource, boolean limits) {
        ResourceRequirements resources = container.getResources();
        if (resources == null) {
            return null;
        }
        Map<String, Quantity> values = limits ? resources.getLimits() : resources.getRequests();
        Quantity value = values == null ? null : values.get(resource);
        if (value == null && !limits && resources.getLimits() != null) {
            // A limit without a request defaults the request to the limit.
            value = resources.getLimits().get(resource);
        }
        return value;
    }
}
