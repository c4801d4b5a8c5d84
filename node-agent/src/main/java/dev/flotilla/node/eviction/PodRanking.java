package dev.flotilla.node.eviction;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which pods are evicted, as upstream's rank functions: for memory and disk, first the
 * pods whose usage exceeds their requests (pods without figures before all), then by priority
 * (lowest first), then by usage above request (largest first); for PIDs by priority alone (the
 * agent does not count processes per pod yet).
 */
public final class PodRanking {

    private PodRanking() {
    }

    public static List<Pod> rank(List<Pod> pods, Signal signal, Map<String, PodUsage> usages) {
        List<Pod> ranked = new ArrayList<>(pods);
        ranked.sort(comparator(signal, usages));
        return ranked;
    }

    static Comparator<Pod> comparator(Signal signal, Map<String, PodUsage> usages) {
        String resource = signal.resource();
        if (signal == Signal.PID_AVAILABLE || resource.equals("inodes")) {
            // Upstream ranks inodes by inode usage, which the agent does not measure per pod: by priority then.
            return Comparator.comparingInt(PodRanking::priority);
        }
        Comparator<Pod> exceeds = (a, b) -> {
            PodUsage ua = usages.get(uid(a));
            PodUsage ub = usages.get(uid(b));
            if (ua == null || ub == null) {
                return Boolean.compare(ub == null, ua == null); // the pod without figures first
            }
            return Boolean.compare(aboveRequest(b, ub, resource) > 0, aboveRequest(a, ua, resource) > 0);
        };
        Comparator<Pod> byUsage = (a, b) -> {
            PodUsage ua = usages.get(uid(a));
            PodUsage ub = usages.get(uid(b));
            if (ua == null || ub == null) {
                return Boolean.compare(ub == null, ua == null);
            }
            return Long.compare(aboveRequest(b, ub, resource), aboveRequest(a, ua, resource));
        };
        return exceeds.thenComparingInt(PodRanking::priority).thenComparing(byUsage);
    }

    /** Usage less the pod's request of the resource (may be negative). */
    static long aboveRequest(Pod pod, PodUsage usage, String resource) {
        return usage.of(resource) - request(pod, resource);
    }

    public static long request(Pod pod, String resource) {
        return dev.flotilla.api.quota.PodUsage.of(pod, resource, false).amount().longValue();
    }

    static int priority(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getPriority() == null ? 0 : pod.getSpec().getPriority();
    }

    private static String uid(Pod pod) {
        return pod.getMetadata().getUid();
    }
}
