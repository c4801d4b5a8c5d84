package dev.flotilla.controllers.disruption;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many pods the controllers of a budget's pods want: the sum of {@code spec.replicas} of each
 * distinct controller (a ReplicaSet's Deployment counts for it), as upstream's
 * {@code getExpectedScale}. A pod with no controller, or one of a kind without a scale here, makes
 * the count fail, and the budget then allows no disruption.
 */
final class ControllerScale {

    /** Why the expected scale cannot be known. */
    static final class UnknownScale extends Exception {
        UnknownScale(String message) {
            super(message);
        }
    }

    private final KubernetesClient client;

    ControllerScale(KubernetesClient client) {
        this.client = client;
    }

    int expected(String namespace, List<Pod> pods) throws UnknownScale {
        Map<String, Integer> byController = new HashMap<>();
        for (Pod pod : pods) {
            OwnerReference owner = controllerOf(pod);
            if (owner == null) {
                throw new UnknownScale("found no controller ref for pod \"" + pod.getMetadata().getName() + "\"");
            }
            if (!byController.containsKey(owner.getUid())) {
                Scale scale = scale(namespace, owner);
                if (scale == null) {
                    throw new UnknownScale("found no controllers for pod \"" + pod.getMetadata().getName() + "\"");
                }
                byController.put(owner.getUid(), 0);
                byController.put(scale.uid(), scale.replicas());
            }
        }
        return byController.values().stream().mapToInt(Integer::intValue).sum();
    }

    private record Scale(String uid, int replicas) {
    }

    private Scale scale(String namespace, OwnerReference owner) {
        String group = owner.getApiVersion().contains("/") ? owner.getApiVersion().split("/")[0] : "";
        switch (group + "/" + owner.getKind()) {
            case "apps/ReplicaSet": {
                ReplicaSet set = client.apps().replicaSets().inNamespace(namespace).withName(owner.getName()).get();
                if (!same(set, owner)) {
                    return null;
                }
                OwnerReference deploymentRef = controllerOf(set);
                if (deploymentRef != null && "Deployment".equals(deploymentRef.getKind())) {
                    Deployment deployment = client.apps().deployments().inNamespace(namespace)
                            .withName(deploymentRef.getName()).get();
                    if (same(deployment, deploymentRef)) {
                        return new Scale(deployment.getMetadata().getUid(), replicas(deployment.getSpec().getReplicas()));
                    }
                }
                return new Scale(set.getMetadata().getUid(), replicas(set.getSpec().getReplicas()));
            }
            case "apps/StatefulSet": {
                StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(owner.getName()).get();
                return same(set, owner) ? new Scale(set.getMetadata().getUid(), replicas(set.getSpec().getReplicas()))
                        : null;
            }
            case "/ReplicationController": {
                ReplicationController rc = client.replicationControllers().inNamespace(namespace)
                        .withName(owner.getName()).get();
                return same(rc, owner) ? new Scale(rc.getMetadata().getUid(), replicas(rc.getSpec().getReplicas()))
                        : null;
            }
            default:
                return null;
        }
    }

    private static int replicas(Integer replicas) {
        return replicas == null ? 1 : replicas;
    }

    private static boolean same(HasMetadata object, OwnerReference reference) {
        return object != null && object.getMetadata().getUid().equals(reference.getUid());
    }

    private static OwnerReference controllerOf(HasMetadata object) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        if (owners == null) {
            return null;
        }
        return owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(null);
    }
}
