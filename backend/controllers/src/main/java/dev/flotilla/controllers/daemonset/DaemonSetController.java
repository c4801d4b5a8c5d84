package dev.flotilla.controllers.daemonset;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.controllers.framework.ApiFailures;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.framework.PodChanges;
import dev.flotilla.controllers.history.ControllerHistory;
import dev.flotilla.controllers.history.RevisionHistory;
import dev.flotilla.controllers.ownership.PodClaims;
import dev.flotilla.controllers.ownership.PodOwnerQueue;
import dev.flotilla.controllers.ownership.ControllerRefs;
import dev.flotilla.controllers.replicaset.Expectations;
import dev.flotilla.controllers.replicaset.PodStates;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The DaemonSet controller: one pod per eligible node (nodeSelector, node affinity, taints with the
 * automatic daemon tolerations), pinned by a required node affinity on the node's name so that the
 * scheduler places it; RollingUpdate (maxUnavailable, maxSurge) or OnDelete to the newest
 * ControllerRevision; upstream's status counts. {@link DaemonSetPlan} decides each sync.
 */
public final class DaemonSetController implements Controller {

    private final Expectations expectations = new Expectations();
    private KubernetesClient client;
    private SharedIndexInformer<DaemonSet> sets;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Node> nodes;
    private SharedIndexInformer<ControllerRevision> revisions;
    private WorkQueue<String> queue;
    private EventRecorder events;
    private RevisionHistory history;
    private PodOwnerQueue<DaemonSet> owners;

    @Override
    public String name() {
        return "daemonset";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        this.events = new EventRecorder(client, "daemonset-controller");
        this.history = new RevisionHistory(client);
        sets = context.informers().of(DaemonSet.class);
        pods = context.informers().of(Pod.class);
        nodes = context.informers().of(Node.class);
        revisions = context.informers().of(ControllerRevision.class);
        sets.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(DaemonSet set) {
                queue.add(Keys.of(set));
            }

            @Override
            public void onUpdate(DaemonSet old, DaemonSet set) {
                queue.add(Keys.of(set));
            }

            @Override
            public void onDelete(DaemonSet set, boolean finalStateUnknown) {
                expectations.forget(Keys.of(set));
            }
        });
        owners = new PodOwnerQueue<>("DaemonSet", sets, s -> LabelSelector.fromMetaV1(s.getSpec().getSelector()), queue);
        pods.addEventHandler(new PodChanges(owners::podChanged));
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                String owner = owners.ownerKey(pod);
                if (owner != null) {
                    expectations.creationObserved(owner);
                    // The other handler's enqueue may have run before this observation and found the set waiting.
                    queue.add(owner);
                }
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                String owner = owners.ownerKey(pod);
                if (owner != null && pod.getMetadata().getDeletionTimestamp() != null) {
                    expectations.deletionObserved(owner, PodStates.key(pod));
                    queue.add(owner);
                }
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                String owner = owners.ownerKey(pod);
                if (owner != null) {
                    expectations.deletionObserved(owner, PodStates.key(pod));
                    queue.add(owner);
                }
            }
        });
        // A node's labels, taints or existence decide for every DaemonSet whether it runs there.
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                enqueueAll();
            }

            @Override
            public void onUpdate(Node old, Node node) {
                if (!Objects.equals(old.getMetadata().getLabels(), node.getMetadata().getLabels())
                        || !Objects.equals(old.getSpec(), node.getSpec())) {
                    enqueueAll();
                }
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                enqueueAll();
            }
        });
        revisions.addEventHandler(Enqueue.by(queue, owners::ownerKey));
    }

    private void enqueueAll() {
        sets.getStore().list().forEach(set -> queue.add(Keys.of(set)));
    }

    @Override
    public void reconcile(String key) throws Exception {
        DaemonSet set = sets.getStore().getByKey(key);
        if (set == null) {
            expectations.forget(key);
            return;
        }
        // Before the pods are read: the informer's store holds every pod whose creation the expectations
        // have observed, so a plan made after a satisfied check never misses a pod it created (and makes it twice).
        boolean satisfied = expectations.satisfied(key);
        List<Pod> owned = claim(set);
        if (set.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        DaemonSetStatus previous = set.getStatus() == null ? new DaemonSetStatus() : set.getStatus();
        RevisionHistory.Revisions revs;
        try {
            revs = history.sync(set, controllerRef(set), set.getSpec().getTemplate(),
                    ControllerHistory.ownedBy(set, revisions.getIndexer().byIndex(Cache.NAMESPACE_INDEX, Keys.namespace(key))),
                    null, previous.getCollisionCount());
        } catch (RevisionHistory.HashCollision collision) {
            DaemonSet copy = client.getKubernetesSerialization().clone(set);
            copy.getStatus().setCollisionCount(previous.getCollisionCount() == null ? 1 : previous.getCollisionCount() + 1);
            client.resource(copy).updateStatus();
            throw collision;
        }
        String hash = revs.update().getMetadata().getLabels().get(ControllerHistory.HASH_LABEL);
        Instant now = Instant.now();
        PodSpec daemonPod = DaemonPods.withDaemonTolerations(set.getSpec().getTemplate().getSpec(),
                client.getKubernetesSerialization());
        DaemonSetPlan.Plan plan = DaemonSetPlan.plan(set, daemonPod, nodes.getStore().list(), owned, hash, now);
        Exception failure = null;
        if (satisfied) {
            failure = execute(key, set, revs.update(), hash, plan);
        }
        writeStatus(set, previous, plan.status());
        Set<String> live = new HashSet<>();
        live.add(revs.update().getMetadata().getName());
        owned.stream().map(DaemonPods::hash).filter(Objects::nonNull)
                .forEach(h -> revs.all().stream().filter(r -> h.equals(r.getMetadata().getLabels().get(ControllerHistory.HASH_LABEL)))
                        .forEach(r -> live.add(r.getMetadata().getName())));
        history.truncate(revs.all(), live, set.getSpec().getRevisionHistoryLimit() == null ? 10
                : set.getSpec().getRevisionHistoryLimit());
        Duration wait = PodStates.untilNextAvailable(owned,
                set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds(), now);
        if (wait != null) {
            queue.addAfter(key, wait);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private List<Pod> claim(DaemonSet set) {
        return PodClaims.of(client, set, DaemonSet.class, controllerRef(set),
                LabelSelector.fromMetaV1(set.getSpec().getSelector()))                .claim(pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, set.getMetadata().getNamespace()));
    }

    private static OwnerReference controllerRef(DaemonSet set) {
        return ControllerRefs.controllerRef(set, "apps/v1", "DaemonSet");
    }

    /** Creates and deletes what the plan says; returns the first failure, or null. */
    private Exception execute(String key, DaemonSet set, ControllerRevision revision, String hash, DaemonSetPlan.Plan plan) {
        Exception failure = null;
        List<Pod> doomed = plan.delete().stream().distinct().toList();
        expectations.expect(key, plan.createOn().size(), doomed.stream().map(PodStates::key).toList());
        for (String node : plan.createOn()) {
            Pod pod = DaemonPods.newPod(set, ControllerHistory.template(revision), hash, node,
                    client.getKubernetesSerialization());
            try {
                Pod created = client.pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
                events.normal(set, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            } catch (KubernetesClientException e) {
                expectations.creationObserved(key);
                events.warning(set, "FailedCreate", "Error creating: " + ApiFailures.message(e));
                failure = failure == null ? e : failure;
            }
        }
        for (Pod pod : doomed) {
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
                events.normal(set, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
            } catch (KubernetesClientException e) {
                expectations.deletionObserved(key, PodStates.key(pod));
                if (e.getCode() != 404) {
                    events.warning(set, "FailedDelete", "Error deleting: " + ApiFailures.message(e));
                    failure = failure == null ? e : failure;
                }
            }
        }
        return failure;
    }

    private void writeStatus(DaemonSet set, DaemonSetStatus previous, DaemonSetStatus status) {
        status.setCollisionCount(previous.getCollisionCount());
        status.setConditions(previous.getConditions());
        if (!status.equals(previous)) {
            DaemonSet copy = client.getKubernetesSerialization().clone(set);
            copy.setStatus(status);
            client.resource(copy).updateStatus();
        }
    }
}
