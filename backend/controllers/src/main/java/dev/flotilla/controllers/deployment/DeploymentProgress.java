package dev.flotilla.controllers.deployment;

import static dev.flotilla.controllers.deployment.DeploymentConditions.AVAILABLE;
import static dev.flotilla.controllers.deployment.DeploymentConditions.PROGRESSING;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A Deployment's status from its ReplicaSets (upstream's calculateStatus) and the Progressing
 * condition's rules (syncRolloutStatus): complete, progressing, or timed out after
 * progressDeadlineSeconds without progress.
 */
final class DeploymentProgress {

    private DeploymentProgress() {
    }

    static DeploymentStatus calculate(Deployment d, List<ReplicaSet> all, ReplicaSet newRs) {
        int available = all.stream().mapToInt(RolloutMath::availableReplicas).sum();
        int total = all.stream().mapToInt(RolloutMath::specReplicas).sum();
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(all.stream().mapToInt(RolloutMath::statusReplicas).sum())
                .withUpdatedReplicas(newRs == null ? 0 : RolloutMath.statusReplicas(newRs))
                .withReadyReplicas(all.stream().mapToInt(RolloutMath::readyReplicas).sum())
                .withAvailableReplicas(available)
                .withUnavailableReplicas(Math.max(0, total - available))
                .withCollisionCount(old.getCollisionCount())
                .withConditions(old.getConditions().stream().map(c -> new io.fabric8.kubernetes.api.model.apps
                        .DeploymentConditionBuilder(c).build()).toList())
                .build();
        if (available >= RolloutMath.replicas(d) - RolloutMath.maxUnavailable(d)) {
            DeploymentConditions.set(status, DeploymentConditions.make(AVAILABLE, "True",
                    DeploymentConditions.MINIMUM_AVAILABLE, "Deployment has minimum availability."));
        } else {
            DeploymentConditions.set(status, DeploymentConditions.make(AVAILABLE, "False",
                    DeploymentConditions.MINIMUM_UNAVAILABLE, "Deployment does not have minimum availability."));
        }
        return status;
    }

    /** The status with the Progressing and ReplicaFailure conditions brought up to date. */
    static DeploymentStatus rollout(Deployment d, List<ReplicaSet> all, ReplicaSet newRs) {
        DeploymentStatus status = calculate(d, all, newRs);
        if (!hasProgressDeadline(d)) {
            DeploymentConditions.remove(status, PROGRESSING);
        }
        DeploymentCondition current = DeploymentConditions.get(status, PROGRESSING);
        boolean complete = status.getReplicas().equals(status.getUpdatedReplicas()) && current != null
                && DeploymentConditions.NEW_RS_AVAILABLE.equals(current.getReason());
        if (hasProgressDeadline(d) && !complete) {
            if (isComplete(d, status)) {
                DeploymentConditions.set(status, DeploymentConditions.make(PROGRESSING, "True",
                        DeploymentConditions.NEW_RS_AVAILABLE, newRs != null
                                ? "ReplicaSet \"" + newRs.getMetadata().getName() + "\" has successfully progressed."
                                : "Deployment has successfully progressed."));
            } else if (isProgressing(d, status)) {
                DeploymentCondition progressing = DeploymentConditions.make(PROGRESSING, "True",
                        DeploymentConditions.RS_UPDATED, newRs != null
                                ? "ReplicaSet \"" + newRs.getMetadata().getName() + "\" is progressing."
                                : "Deployment is progressing.");
                // Progress refreshes lastUpdateTime, so the deadline counts from the latest progress.
                if (current != null && "True".equals(current.getStatus())) {
                    progressing.setLastTransitionTime(current.getLastTransitionTime());
                }
                DeploymentConditions.remove(status, PROGRESSING);
                status.getConditions().add(progressing);
            } else if (timedOut(d, status)) {
                DeploymentConditions.set(status, DeploymentConditions.make(PROGRESSING, "False",
                        DeploymentConditions.TIMED_OUT, newRs != null
                                ? "ReplicaSet \"" + newRs.getMetadata().getName() + "\" has timed out progressing."
                                : "Deployment \"" + d.getMetadata().getName() + "\" has timed out progressing."));
            }
        }
        var failure = all.stream().filter(rs -> rs.getStatus() != null).flatMap(rs -> rs.getStatus().getConditions().stream())
                .filter(c -> DeploymentConditions.REPLICA_FAILURE.equals(c.getType())).findFirst();
        if (failure.isPresent()) {
            DeploymentCondition condition = DeploymentConditions.make(DeploymentConditions.REPLICA_FAILURE,
                    failure.get().getStatus(), failure.get().getReason(), failure.get().getMessage());
            DeploymentConditions.set(status, condition);
        } else {
            DeploymentConditions.remove(status, DeploymentConditions.REPLICA_FAILURE);
        }
        return status;
    }

    static boolean hasProgressDeadline(Deployment d) {
        Integer deadline = d.getSpec().getProgressDeadlineSeconds();
        return deadline != null && deadline != Integer.MAX_VALUE;
    }

    /** Upstream's DeploymentComplete: every replica updated and available, and the latest spec observed. */
    static boolean isComplete(Deployment d, DeploymentStatus status) {
        int replicas = RolloutMath.replicas(d);
        long observed = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
        return n(status.getUpdatedReplicas()) == replicas && n(status.getReplicas()) == replicas
                && n(status.getAvailableReplicas()) == replicas && observed >= d.getMetadata().getGeneration();
    }

    /** More updated, ready or available pods, or fewer old ones, than the stored status says. */
    static boolean isProgressing(Deployment d, DeploymentStatus status) {
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        int oldUpdated = n(old.getUpdatedReplicas());
        return status.getUpdatedReplicas() > oldUpdated
                || status.getReplicas() - status.getUpdatedReplicas() < n(old.getReplicas()) - oldUpdated
                || status.getReadyReplicas() > n(old.getReadyReplicas())
                || status.getAvailableReplicas() > n(old.getAvailableReplicas());
    }

    static boolean timedOut(Deployment d, DeploymentStatus status) {
        DeploymentCondition condition = DeploymentConditions.get(status, PROGRESSING);
        if (!hasProgressDeadline(d) || condition == null
                || DeploymentConditions.NEW_RS_AVAILABLE.equals(condition.getReason())) {
            return false;
        }
        if (DeploymentConditions.TIMED_OUT.equals(condition.getReason())) {
            return true;
        }
        Instant from = Instant.parse(condition.getLastUpdateTime());
        return Instant.now().isAfter(from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()));
    }

    /** When to look again for a rollout that may time out (upstream's requeueStuckDeployment), or null. */
    static Duration untilDeadline(Deployment d, DeploymentStatus status) {
        DeploymentCondition condition = DeploymentConditions.get(status, PROGRESSING);
        if (!hasProgressDeadline(d) || condition == null || !"True".equals(condition.getStatus())
                || isComplete(d, status) || condition.getLastUpdateTime() == null) {
            return null;
        }
        Instant deadline = Instant.parse(condition.getLastUpdateTime()).plusSeconds(d.getSpec().getProgressDeadlineSeconds());
        Duration after = Duration.between(Instant.now(), deadline);
        return after.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ZERO : after.plusSeconds(1);
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }
}
