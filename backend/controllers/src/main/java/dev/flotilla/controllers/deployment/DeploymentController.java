package dev.flotilla.controllers.deployment;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.ownership.ControllerRefClaims;
import dev.flotilla.controllers.ownership.ControllerRefs;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Deployment controller: claims the ReplicaSets its selector matches, then rolls the pod
 * template out through a new ReplicaSet named {@code <deployment>-<pod-template-hash>}
 * (RollingUpdate within maxSurge/maxUnavailable, or Recreate), scales on replica changes and while
 * paused, keeps revision annotations and revisionHistoryLimit, and reports status with the
 * Progressing and Available conditions. See {@link DeploymentSync} for one sync.
 */
public final class DeploymentController implements Controller {

    private KubernetesClient client;
    private EventRecorder events;
    private SharedIndexInformer<Deployment> deployments;
    private SharedIndexInformer<ReplicaSet> replicaSets;
    private SharedIndexInformer<Pod> pods;
    private WorkQueue<String> queue;

    @Override
    public String name() {
        return "deployment";
    }

    @Override
    public int workers() {
        return 5;
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.events = new EventRecorder(client, "deployment-controller");
        this.queue = queue;
        deployments = context.informers().of(Deployment.class);
        replicaSets = context.informers().of(ReplicaSet.class);
        pods = context.informers().of(Pod.class);
        deployments.addEventHandler(Enqueue.by(queue, Keys::of));
        replicaSets.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ReplicaSet rs) {
                replicaSetChanged(null, rs);
            }

            @Override
            public void onUpdate(ReplicaSet old, ReplicaSet rs) {
                replicaSetChanged(old, rs);
            }

            @Override
            public void onDelete(ReplicaSet rs, boolean finalStateUnknown) {
                enqueueOwner(rs.getMetadata().getNamespace(), ControllerRefs.controllerOf(rs));
            }
        });
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                // A Recreate rollout waits for the old pods to be gone.
                OwnerReference rsRef = ControllerRefs.controllerOf(pod);
                if (rsRef != null && "ReplicaSet".equals(rsRef.getKind())) {
                    ReplicaSet rs = replicaSets.getStore().getByKey(pod.getMetadata().getNamespace() + "/" + rsRef.getName());
                    if (rs != null) {
                        enqueueOwner(rs.getMetadata().getNamespace(), ControllerRefs.controllerOf(rs));
                    }
                }
            }
        });
    }

    private void replicaSetChanged(ReplicaSet old, ReplicaSet rs) {
        OwnerReference ref = ControllerRefs.controllerOf(rs);
        if (old != null) {
            OwnerReference oldRef = ControllerRefs.controllerOf(old);
            if (oldRef != null && !Objects.equals(oldRef, ref)) {
                enqueueOwner(old.getMetadata().getNamespace(), oldRef);
            }
        }
        if (ref != null) {
            enqueueOwner(rs.getMetadata().getNamespace(), ref);
            return;
        }
        Map<String, String> labels = rs.getMetadata().getLabels() == null ? Map.of() : rs.getMetadata().getLabels();
        for (Deployment d : deployments.getIndexer().byIndex(Cache.NAMESPACE_INDEX, rs.getMetadata().getNamespace())) {
            if (selector(d).matches(labels)) {
                queue.add(Keys.of(d));
            }
        }
    }

    private void enqueueOwner(String namespace, OwnerReference ref) {
        if (ref == null || !"Deployment".equals(ref.getKind())) {
            return;
        }
        Deployment d = deployments.getStore().getByKey(namespace + "/" + ref.getName());
        if (d != null && d.getMetadata().getUid().equals(ref.getUid())) {
            queue.add(Keys.of(d));
        }
    }

    private static LabelSelector selector(Deployment d) {
        return d.getSpec().getSelector() == null ? LabelSelector.nothing() : LabelSelector.fromMetaV1(d.getSpec().getSelector());
    }

    @Override
    public void reconcile(String key) {
        Deployment d = deployments.getStore().getByKey(key);
        if (d == null || selector(d).isEmpty()) {
            return;
        }
        String namespace = d.getMetadata().getNamespace();
        List<ReplicaSet> candidates = replicaSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
        List<ReplicaSet> owned = new ControllerRefClaims<ReplicaSet>(d, ControllerRefs.controllerRef(d, "apps/v1", "Deployment"),
                selector(d), () -> {
                    Deployment fresh = client.resources(Deployment.class).inNamespace(namespace)
                            .withName(d.getMetadata().getName()).get();
                    return fresh != null && fresh.getMetadata().getUid().equals(d.getMetadata().getUid())
                            && fresh.getMetadata().getDeletionTimestamp() == null;
                }, (rs, patch) -> client.resources(ReplicaSet.class).inNamespace(namespace)
                        .withName(rs.getMetadata().getName()).patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch))
                .claim(candidates);
        List<Pod> namespacePods = pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
        Duration again = new DeploymentSync(client, events, d, owned, namespacePods).run();
        if (again != null) {
            queue.addAfter(key, again);
        }
    }
}
