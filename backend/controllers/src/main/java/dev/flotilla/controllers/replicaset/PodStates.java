package dev.flotilla.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Pod predicates the workload controllers share, in upstream's terms (podutil). */
public final class PodStates {

    private PodStates() {
    }

    /** Not terminating and not finished: a pod that counts towards replicas. */
    public static boolean isActive(Pod pod) {
        String phase = phase(pod);
        return pod.getMetadata().getDeletionTimestamp() == null && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    public static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    public static boolean isReady(Pod pod) {
        PodCondition ready = readyCondition(pod);
        return ready != null && "True".equals(ready.getStatus());
    }

    /** Ready for at least {@code minReadySeconds} at {@code now}. */
    public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (!isReady(pod)) {
            return false;
        }
        if (minReadySeconds == 0) {
            return true;
        }
        Instant since = readySince(pod);
        return since != null && !since.plusSeconds(minReadySeconds).isAfter(now);
    }

    /** When the pod became ready, or null. */
    public static Instant readySince(Pod pod) {
        PodCondition ready = readyCondition(pod);
        if (ready == null || ready.getLastTransitionTime() == null || ready.getLastTransitionTime().isEmpty()) {
            return null;
        }
        return Instant.parse(ready.getLastTransitionTime());
    }

    /**
     * How long until the first of these pods that is ready but not yet available will have been
     * ready for {@code minReadySeconds} (plus a margin), or null when none is waiting.
     */
    public static Duration untilNextAvailable(List<Pod> pods, int minReadySeconds, Instant now) {
        if (minReadySeconds == 0) {
            return null;
        }
        return pods.stream().filter(p -> isReady(p) && !isAvailable(p, minReadySeconds, now))
                .map(PodStates::readySince).filter(Objects::nonNull).min(Instant::compareTo)
                .map(since -> Duration.between(now, since.plusSeconds(minReadySeconds)).plusMillis(500)).orElse(null);
    }

    private static PodCondition readyCondition(Pod pod) {
        if (pod.getStatus() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    }

    public static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
}
