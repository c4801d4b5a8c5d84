package dev.flotilla.controllers.statefulset;

import dev.flotilla.controllers.replicaset.PodStates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.time.Instant;
import java.util.List;

/**
 * A StatefulSet's status from its pods, as upstream counts it: replicas (pods created), ready,
 * available (ready for minReadySeconds), current and updated (not terminating, at that revision);
 * once every pod is updated and ready a RollingUpdate's update revision becomes the current one.
 */
final class StatefulSetStatusCalculator {

    private StatefulSetStatusCalculator() {
    }

    static StatefulSetStatus compute(StatefulSet set, List<Pod> members, String currentRevision, String updateRevision,
            Instant now) {
        int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
        int replicas = 0;
        int ready = 0;
        int available = 0;
        int current = 0;
        int updated = 0;
        for (Pod pod : members) {
            replicas++;
            if (StatefulSetPlan.isRunningAndReady(pod) && !StatefulSetPlan.isTerminating(pod)) {
                ready++;
                if (PodStates.isAvailable(pod, minReady, now)) {
                    available++;
                }
            }
            if (!StatefulSetPlan.isTerminating(pod)) {
                String revision = StatefulPods.revision(pod);
                if (currentRevision.equals(revision)) {
                    current++;
                }
                if (updateRevision.equals(revision)) {
                    updated++;
                }
            }
        }
        StatefulSetStatus status = new StatefulSetStatus();
        status.setObservedGeneration(set.getMetadata().getGeneration());
        status.setReplicas(replicas);
        status.setReadyReplicas(ready);
        status.setAvailableReplicas(available);
        status.setCurrentReplicas(current);
        status.setUpdatedReplicas(updated);
        status.setCurrentRevision(currentRevision);
        status.setUpdateRevision(updateRevision);
        int wanted = StatefulSetPlan.replicas(set);
        if (StatefulSetPlan.isRollingUpdate(set) && updated == wanted && ready == wanted && replicas == wanted) {
            status.setCurrentReplicas(updated);
            status.setCurrentRevision(updateRevision);
        }
        return status;
    }
}
