package dev.flotilla.controllers.replicaset;

import dev.flotilla.api.selector.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/** {@code apps/v1} ReplicaSets. */
public final class ReplicaSetKind implements ReplicatedKind<ReplicaSet> {

    static final String FAILURE = "ReplicaFailure";

    @Override
    public String controllerName() {
        return "replicaset";
    }

    @Override
    public String eventComponent() {
        return "replicaset-controller";
    }

    @Override
    public Class<ReplicaSet> type() {
        return ReplicaSet.class;
    }

    @Override
    public String apiVersion() {
        return "apps/v1";
    }

    @Override
    public String kind() {
        return "ReplicaSet";
    }

    @Override
    public int replicas(ReplicaSet set) {
        Integer replicas = set.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    @Override
    public LabelSelector selector(ReplicaSet set) {
        return set.getSpec().getSelector() == null ? LabelSelector.nothing()
                : LabelSelector.fromMetaV1(set.getSpec().getSelector());
    }

    @Override
    public PodTemplateSpec template(ReplicaSet set) {
        return set.getSpec().getTemplate();
    }

    @Override
    public int minReadySeconds(ReplicaSet set) {
        Integer seconds = set.getSpec().getMinReadySeconds();
        return seconds == null ? 0 : seconds;
    }

    @Override
    public ReplicaStatus status(ReplicaSet set) {
        ReplicaSetStatus s = set.getStatus();
        if (s == null) {
            return new ReplicaStatus(0, 0, 0, 0, 0, null);
        }
        ReplicaStatus.Failure failure = s.getConditions().stream().filter(c -> FAILURE.equals(c.getType()))
                .findFirst().map(c -> new ReplicaStatus.Failure(c.getReason(), c.getMessage(), c.getLastTransitionTime()))
                .orElse(null);
        return new ReplicaStatus(n(s.getReplicas()), n(s.getFullyLabeledReplicas()), n(s.getReadyReplicas()),
                n(s.getAvailableReplicas()), s.getObservedGeneration() == null ? 0 : s.getObservedGeneration(), failure);
    }

    @Override
    public void writeStatus(KubernetesClient client, ReplicaSet set, ReplicaStatus status) {
        List<ReplicaSetCondition> conditions = new ArrayList<>(set.getStatus() == null ? List.of()
                : set.getStatus().getConditions().stream().filter(c -> !FAILURE.equals(c.getType())).toList());
        if (status.failure() != null) {
            conditions.add(new ReplicaSetConditionBuilder().withType(FAILURE).withStatus("True")
                    .withReason(status.failure().reason()).withMessage(status.failure().message())
                    .withLastTransitionTime(status.failure().lastTransitionTime()).build());
        }
        ReplicaSet copy = client.getKubernetesSerialization().clone(set);
        copy.setStatus(new ReplicaSetStatusBuilder().withReplicas(status.replicas())
                .withFullyLabeledReplicas(status.fullyLabeledReplicas()).withReadyReplicas(status.readyReplicas())
                .withAvailableReplicas(status.availableReplicas()).withObservedGeneration(status.observedGeneration())
                .withConditions(conditions).build());
        client.resources(ReplicaSet.class).inNamespace(set.getMetadata().getNamespace()).resource(copy).updateStatus();
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }
}
