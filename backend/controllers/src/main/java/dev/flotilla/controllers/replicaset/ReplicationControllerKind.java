package dev.flotilla.controllers.replicaset;

import dev.flotilla.api.selector.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerCondition;
import io.fabric8.kubernetes.api.model.ReplicationControllerConditionBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code v1} ReplicationControllers: a map selector that, as upstream's defaulting does, is the
 * template's labels when left empty.
 */
public final class ReplicationControllerKind implements ReplicatedKind<ReplicationController> {

    @Override
    public String controllerName() {
        return "replicationcontroller";
    }

    @Override
    public String eventComponent() {
        return "replication-controller";
    }

    @Override
    public Class<ReplicationController> type() {
        return ReplicationController.class;
    }

    @Override
    public String apiVersion() {
        return "v1";
    }

    @Override
    public String kind() {
        return "ReplicationController";
    }

    @Override
    public int replicas(ReplicationController set) {
        Integer replicas = set.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    @Override
    public LabelSelector selector(ReplicationController set) {
        Map<String, String> selector = set.getSpec().getSelector();
        if ((selector == null || selector.isEmpty()) && template(set) != null && template(set).getMetadata() != null) {
            selector = template(set).getMetadata().getLabels();
        }
        return selector == null || selector.isEmpty() ? LabelSelector.nothing() : LabelSelector.fromSet(selector);
    }

    @Override
    public PodTemplateSpec template(ReplicationController set) {
        return set.getSpec().getTemplate();
    }

    @Override
    public int minReadySeconds(ReplicationController set) {
        Integer seconds = set.getSpec().getMinReadySeconds();
        return seconds == null ? 0 : seconds;
    }

    @Override
    public ReplicaStatus status(ReplicationController set) {
        ReplicationControllerStatus s = set.getStatus();
        if (s == null) {
            return new ReplicaStatus(0, 0, 0, 0, 0, null);
        }
        ReplicaStatus.Failure failure = s.getConditions().stream().filter(c -> ReplicaSetKind.FAILURE.equals(c.getType()))
                .findFirst().map(c -> new ReplicaStatus.Failure(c.getReason(), c.getMessage(), c.getLastTransitionTime()))
                .orElse(null);
        return new ReplicaStatus(n(s.getReplicas()), n(s.getFullyLabeledReplicas()), n(s.getReadyReplicas()),
                n(s.getAvailableReplicas()), s.getObservedGeneration() == null ? 0 : s.getObservedGeneration(), failure);
    }

    @Override
    public void writeStatus(KubernetesClient client, ReplicationController set, ReplicaStatus status) {
        List<ReplicationControllerCondition> conditions = new ArrayList<>(set.getStatus() == null ? List.of()
                : set.getStatus().getConditions().stream().filter(c -> !ReplicaSetKind.FAILURE.equals(c.getType())).toList());
        if (status.failure() != null) {
            conditions.add(new ReplicationControllerConditionBuilder().withType(ReplicaSetKind.FAILURE).withStatus("True")
                    .withReason(status.failure().reason()).withMessage(status.failure().message())
                    .withLastTransitionTime(status.failure().lastTransitionTime()).build());
        }
        ReplicationController copy = client.getKubernetesSerialization().clone(set);
        copy.setStatus(new ReplicationControllerStatusBuilder().withReplicas(status.replicas())
                .withFullyLabeledReplicas(status.fullyLabeledReplicas()).withReadyReplicas(status.readyReplicas())
                .withAvailableReplicas(status.availableReplicas()).withObservedGeneration(status.observedGeneration())
                .withConditions(conditions).build());
        client.resources(ReplicationController.class).inNamespace(set.getMetadata().getNamespace()).resource(copy)
                .updateStatus();
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }
}
