package dev.flotilla.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Deployment conditions with upstream's types, reasons and update rules (deploymentutil). */
public final class DeploymentConditions {

    public static final String PROGRESSING = "Progressing";
    public static final String AVAILABLE = "Available";
    public static final String REPLICA_FAILURE = "ReplicaFailure";
    public static final String NEW_RS_CREATED = "NewReplicaSetCreated";
    public static final String FOUND_NEW_RS = "FoundNewReplicaSet";
    public static final String RS_UPDATED = "ReplicaSetUpdated";
    public static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    public static final String TIMED_OUT = "ProgressDeadlineExceeded";
    public static final String PAUSED = "DeploymentPaused";
    public static final String RESUMED = "DeploymentResumed";
    public static final String MINIMUM_AVAILABLE = "MinimumReplicasAvailable";
    public static final String MINIMUM_UNAVAILABLE = "MinimumReplicasUnavailable";

    private DeploymentConditions() {
    }

    public static DeploymentCondition make(String type, String status, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastUpdateTime(now).withLastTransitionTime(now).build();
    }

    public static DeploymentCondition get(DeploymentStatus status, String type) {
        return status == null ? null : status.getConditions().stream().filter(c -> type.equals(c.getType()))
                .findFirst().orElse(null);
    }

    /**
     * Upstream's SetDeploymentCondition: nothing changes when status and reason are the same; the
     * transition time is kept while the status stays.
     */
    public static void set(DeploymentStatus status, DeploymentCondition condition) {
        DeploymentCondition current = get(status, condition.getType());
        if (current != null && current.getStatus().equals(condition.getStatus())
                && current.getReason().equals(condition.getReason())) {
            return;
        }
        if (current != null && current.getStatus().equals(condition.getStatus())) {
            condition.setLastTransitionTime(current.getLastTransitionTime());
        }
        remove(status, condition.getType());
        status.getConditions().add(condition);
    }

    public static void remove(DeploymentStatus status, String type) {
        List<DeploymentCondition> kept = new ArrayList<>(status.getConditions().stream()
                .filter(c -> !type.equals(c.getType())).toList());
        status.setConditions(kept);
    }
}
