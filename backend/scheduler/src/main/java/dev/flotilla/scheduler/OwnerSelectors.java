package dev.flotilla.scheduler;

import dev.flotilla.api.selector.LabelRequirement;
import dev.flotilla.api.selector.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The selector PodTopologySpread's system default constraints spread a pod's group by (upstream's
 * helper.DefaultSelector): the selectors of the Services in its namespace that select it, merged,
 * plus the selector of its controller when that is a ReplicationController, ReplicaSet or
 * StatefulSet. Empty when nothing selects the pod.
 */
final class OwnerSelectors {

    private final Indexer<Service> services;
    private final Store<ReplicationController> replicationControllers;
    private final Store<ReplicaSet> replicaSets;
    private final Store<StatefulSet> statefulSets;

    OwnerSelectors(Indexer<Service> services, Store<ReplicationController> replicationControllers,
            Store<ReplicaSet> replicaSets, Store<StatefulSet> statefulSets) {
        this.services = services;
        this.replicationControllers = replicationControllers;
        this.replicaSets = replicaSets;
        this.statefulSets = statefulSets;
    }

    LabelSelector of(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        Map<String, String> merged = new HashMap<>();
        for (Service service : services.byIndex(Cache.NAMESPACE_INDEX, namespace)) {
            Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
            if (selector != null && LabelSelector.fromSet(selector).matches(labels)) {
                merged.putAll(selector);
            }
        }
        List<LabelRequirement> requirements = new ArrayList<>(LabelSelector.fromSet(merged).requirements());
        OwnerReference controller = pod.getMetadata().getOwnerReferences().stream()
                .filter(ref -> Boolean.TRUE.equals(ref.getController())).findFirst().orElse(null);
        if (controller != null) {
            String key = namespace + "/" + controller.getName();
            if ("v1".equals(controller.getApiVersion()) && "ReplicationController".equals(controller.getKind())) {
                ReplicationController rc = replicationControllers.getByKey(key);
                if (rc != null && rc.getSpec().getSelector() != null) {
                    merged.putAll(rc.getSpec().getSelector());
                    requirements = new ArrayList<>(LabelSelector.fromSet(merged).requirements());
                }
            } else if ("apps/v1".equals(controller.getApiVersion()) && "ReplicaSet".equals(controller.getKind())) {
                ReplicaSet rs = replicaSets.getByKey(key);
                if (rs != null) {
                    requirements.addAll(LabelSelector.fromMetaV1(rs.getSpec().getSelector()).requirements());
                }
            } else if ("apps/v1".equals(controller.getApiVersion()) && "StatefulSet".equals(controller.getKind())) {
                StatefulSet ss = statefulSets.getByKey(key);
                if (ss != null) {
                    requirements.addAll(LabelSelector.fromMetaV1(ss.getSpec().getSelector()).requirements());
                }
            }
        }
        return LabelSelector.of(requirements);
    }
}
