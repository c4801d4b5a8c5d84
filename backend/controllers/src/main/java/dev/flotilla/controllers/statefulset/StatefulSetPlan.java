package dev.flotilla.controllers.statefulset;

import dev.flotilla.controllers.deployment.RolloutMath;
import dev.flotilla.controllers.replicaset.PodStates;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one sync of a StatefulSet does next, as upstream's stateful set control decides it: create
 * missing ordinals (lowest first) and replace failed pods, delete ordinals beyond the replica count
 * (highest first), then replace pods not at the update revision from the highest ordinal down to
 * the partition, keeping at most maxUnavailable pods unhealthy. OrderedReady does one step and then
 * waits for every lower ordinal to be Running and Ready (for minReadySeconds); Parallel does every
 * step at once. OnDelete never replaces a pod that is still there.
 */
final class StatefulSetPlan {

    enum Action { CREATE, DELETE_FAILED, DELETE_CONDEMNED, DELETE_OUTDATED }

    /** One step: an ordinal to create (at {@code revision}) or a pod to delete. */
    record Step(Action action, int ordinal, String revision, Pod pod) {
    }

    private StatefulSetPlan() {
    }

    static List<Step> plan(StatefulSet set, List<Pod> members, String currentRevision, String updateRevision, Instant now) {
        int start = startOrdinal(set);
        int replicas = replicas(set);
        boolean monotonic = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
        int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
        Pod[] slots = new Pod[replicas];
        List<Pod> condemned = new ArrayList<>();
        for (Pod pod : members) {
            int ordinal = StatefulPods.ordinal(set, pod);
            if (ordinal >= start && ordinal < start + replicas) {
                slots[ordinal - start] = pod;
            } else if (ordinal >= 0) {
                condemned.add(pod);
            }
        }
        condemned.sort(Comparator.comparingInt((Pod p) -> StatefulPods.ordinal(set, p)).reversed());

        List<Step> steps = new ArrayList<>();
        Pod firstUnhealthy = null;
        for (int i = 0; i < replicas; i++) {
            Pod pod = slots[i];
            int ordinal = start + i;
            if (pod == null) {
                steps.add(new Step(Action.CREATE, ordinal, revisionFor(set, ordinal, currentRevision, updateRevision), null));
            } else if (isFinished(pod) && !isTerminating(pod)) {
                steps.add(new Step(Action.DELETE_FAILED, ordinal, null, pod));
            } else if (isHealthy(pod, minReady, now)) {
                continue;
            } else if (firstUnhealthy == null) {
                firstUnhealthy = pod;
            }
            if (monotonic) {
                return steps;
            }
        }
        for (Pod pod : condemned) {
            if (isTerminating(pod)) {
                if (monotonic) {
                    return steps;
                }
                continue;
            }
            if (monotonic && !isHealthy(pod, minReady, now) && firstUnhealthy != null && pod != firstUnhealthy) {
                return steps;
            }
            steps.add(new Step(Action.DELETE_CONDEMNED, StatefulPods.ordinal(set, pod), null, pod));
            if (monotonic) {
                return steps;
            }
        }
        if (!isRollingUpdate(set) || !steps.isEmpty() && monotonic) {
            return steps;
        }
        int unavailable = 0;
        for (Pod pod : slots) {
            if (pod == null || !isHealthy(pod, minReady, now)) {
                unavailable++;
            }
        }
        int maxUnavailable = maxUnavailable(set, replicas);
        int floor = Math.max(partition(set) - start, 0);
        for (int i = replicas - 1; i >= floor && unavailable < maxUnavailable; i--) {
            Pod pod = slots[i];
            if (pod != null && !isTerminating(pod) && !updateRevision.equals(StatefulPods.revision(pod))) {
                steps.add(new Step(Action.DELETE_OUTDATED, start + i, null, pod));
                if (isHealthy(pod, minReady, now)) {
                    unavailable++;
                }
            }
        }
        return steps;
    }

    /** Upstream's newVersionedStatefulSetPod: below the partition the current revision, else the update one. */
    private static String revisionFor(StatefulSet set, int ordinal, String currentRevision, String updateRevision) {
        if (isRollingUpdate(set) && ordinal < partition(set)) {
            return currentRevision;
        }
        return updateRevision;
    }

    static boolean isRollingUpdate(StatefulSet set) {
        return set.getSpec().getUpdateStrategy() == null || !"OnDelete".equals(set.getSpec().getUpdateStrategy().getType());
    }

    static int partition(StatefulSet set) {
        var rolling = set.getSpec().getUpdateStrategy() == null ? null : set.getSpec().getUpdateStrategy().getRollingUpdate();
        return rolling == null || rolling.getPartition() == null ? 0 : rolling.getPartition();
    }

    /** maxUnavailable of the replicas (a percentage rounded down), at least 1; default 1. */
    static int maxUnavailable(StatefulSet set, int replicas) {
        var rolling = set.getSpec().getUpdateStrategy() == null ? null : set.getSpec().getUpdateStrategy().getRollingUpdate();
        IntOrString value = rolling == null ? null : rolling.getMaxUnavailable();
        return value == null ? 1 : Math.max(1, RolloutMath.scaled(value, replicas, false));
    }

    static int replicas(StatefulSet set) {
        return set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    }

    static int startOrdinal(StatefulSet set) {
        return set.getSpec().getOrdinals() == null || set.getSpec().getOrdinals().getStart() == null ? 0
                : set.getSpec().getOrdinals().getStart();
    }

    static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    static boolean isFinished(Pod pod) {
        String phase = PodStates.phase(pod);
        return "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    static boolean isRunningAndReady(Pod pod) {
        return "Running".equals(PodStates.phase(pod)) && PodStates.isReady(pod);
    }

    /** Running, Ready for minReadySeconds, and not being deleted. */
    static boolean isHealthy(Pod pod, int minReadySeconds, Instant now) {
        return isRunningAndReady(pod) && !isTerminating(pod) && PodStates.isAvailable(pod, minReadySeconds, now);
    }
}
