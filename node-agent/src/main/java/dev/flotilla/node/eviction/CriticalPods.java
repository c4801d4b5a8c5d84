package dev.flotilla.node.eviction;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/**
 * Upstream's critical pods, which are admitted under pressure and never evicted by the kubelet:
 * static pods (a config source other than the API), mirror pods, and pods at or above
 * system-cluster-critical priority (2000000000).
 */
public final class CriticalPods {

    public static final int SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

    private CriticalPods() {
    }

    public static boolean isCritical(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations != null) {
            String source = annotations.get("kubernetes.io/config.source");
            if ((source != null && !source.equals("api")) || annotations.containsKey("kubernetes.io/config.mirror")) {
                return true;
            }
        }
        Integer priority = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        return priority != null && priority >= SYSTEM_CRITICAL_PRIORITY;
    }
}
