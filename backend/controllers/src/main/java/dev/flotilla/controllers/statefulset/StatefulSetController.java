package dev.flotilla.controllers.statefulset;

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
import dev.flotilla.controllers.replicaset.PodStates;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The StatefulSet controller: pods with stable names, hostnames and claims, created and deleted in
 * ordinal order (OrderedReady) or all at once (Parallel), rolled to the update revision from the
 * highest ordinal down to the partition (RollingUpdate) or only when deleted (OnDelete), with the
 * template history in ControllerRevisions and upstream's status. {@link StatefulSetPlan} decides
 * each sync's steps; this class claims, executes and reports.
 */
public final class StatefulSetController implements Controller {

    private KubernetesClient client;
    private SharedIndexInformer<StatefulSet> sets;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<ControllerRevision> revisions;
    private SharedIndexInformer<PersistentVolumeClaim> claims;
    private WorkQueue<String> queue;
    private EventRecorder events;
    private RevisionHistory history;
    private PodOwnerQueue<StatefulSet> owners;

    @Override
    public String name() {
        return "statefulset";
    }

    @Override
    public int workers() {
        return 5;
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        this.events = new EventRecorder(client, "statefulset-controller");
        this.history = new RevisionHistory(client);
        sets = context.informers().of(StatefulSet.class);
        pods = context.informers().of(Pod.class);
        revisions = context.informers().of(ControllerRevision.class);
        claims = context.informers().of(PersistentVolumeClaim.class);
        sets.addEventHandler(Enqueue.by(queue, Keys::of));
        owners = new PodOwnerQueue<>("StatefulSet", sets, s -> LabelSelector.fromMetaV1(s.getSpec().getSelector()), queue);
        pods.addEventHandler(new PodChanges(owners::podChanged));
        revisions.addEventHandler(Enqueue.by(queue, owners::ownerKey));
    }

    @Override
    public void reconcile(String key) throws Exception {
        StatefulSet set = sets.getStore().getByKey(key);
        if (set == null) {
            return;
        }
        List<Pod> members = claim(set);
        if (set.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        StatefulSetStatus previous = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
        RevisionHistory.Revisions revs;
        try {
            revs = history.sync(set, controllerRef(set), set.getSpec().getTemplate(),
                    ControllerHistory.ownedBy(set, revisions.getIndexer().byIndex(Cache.NAMESPACE_INDEX, Keys.namespace(key))),
                    previous.getCurrentRevision(), previous.getCollisionCount());
        } catch (RevisionHistory.HashCollision collision) {
            StatefulSet copy = client.getKubernetesSerialization().clone(set);
            copy.getStatus().setCollisionCount(previous.getCollisionCount() == null ? 1 : previous.getCollisionCount() + 1);
            client.resource(copy).updateStatus();
            throw collision;
        }
        Instant now = Instant.now();
        String current = revs.current().getMetadata().getName();
        String update = revs.update().getMetadata().getName();
        Exception failure = null;
        try {
            for (StatefulSetPlan.Step step : StatefulSetPlan.plan(set, members, current, update, now)) {
                execute(set, step, revs);
            }
            ensureClaims(set, members);
        } catch (KubernetesClientException e) {
            failure = e;
        }
        writeStatus(set, members, revs, now);
        truncateHistory(set, members, revs);
        requeueForAvailability(key, set, members, now);
        if (failure != null) {
            throw failure;
        }
    }

    private List<Pod> claim(StatefulSet set) {
        List<Pod> candidates = pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, set.getMetadata().getNamespace()).stream()
                .filter(p -> StatefulPods.ordinal(set, p) >= 0).toList();
        return PodClaims.of(client, set, StatefulSet.class, controllerRef(set),
                LabelSelector.fromMetaV1(set.getSpec().getSelector()))                .claim(candidates);
    }

    private static OwnerReference controllerRef(StatefulSet set) {
        return ControllerRefs.controllerRef(set, "apps/v1", "StatefulSet");
    }

    private void execute(StatefulSet set, StatefulSetPlan.Step step, RevisionHistory.Revisions revs) {
        String setName = set.getMetadata().getName();
        switch (step.action()) {
            case CREATE -> {
                ControllerRevision revision = step.revision().equals(revs.current().getMetadata().getName())
                        ? revs.current() : revs.update();
                Pod pod = StatefulPods.newPod(set, ControllerHistory.template(revision), step.revision(), step.ordinal(),
                        client.getKubernetesSerialization());
                createClaims(set, pod, step.ordinal());
                try {
                    client.pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
                } catch (KubernetesClientException e) {
                    events.warning(set, "FailedCreate", "create Pod " + pod.getMetadata().getName() + " in StatefulSet "
                            + setName + " failed error: " + ApiFailures.message(e));
                    throw e;
                }
                events.normal(set, "SuccessfulCreate", "create Pod " + pod.getMetadata().getName() + " in StatefulSet "
                        + setName + " successful");
            }
            case DELETE_CONDEMNED, DELETE_FAILED, DELETE_OUTDATED -> {
                if (step.action() == StatefulSetPlan.Action.DELETE_CONDEMNED && "Delete".equals(retention(set, false))) {
                    handClaimsToPod(set, step.ordinal(), step.pod());
                }
                deletePod(set, step.pod());
            }
            default -> throw new IllegalStateException(step.action().name());
        }
    }

    private void deletePod(StatefulSet set, Pod pod) {
        String name = pod.getMetadata().getName();
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            events.warning(set, "FailedDelete", "delete Pod " + name + " in StatefulSet " + set.getMetadata().getName()
                    + " failed error: " + ApiFailures.message(e));
            throw e;
        }
        events.normal(set, "SuccessfulDelete", "delete Pod " + name + " in StatefulSet " + set.getMetadata().getName()
                + " successful");
    }

    /** whenDeleted ({@code deleted}) or whenScaled retention; Retain unless set. */
    private static String retention(StatefulSet set, boolean deleted) {
        var policy = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
        String value = policy == null ? null : deleted ? policy.getWhenDeleted() : policy.getWhenScaled();
        return value == null ? "Retain" : value;
    }

    /** Creates the pod's missing claims (also for pods that exist, should a claim have gone). */
    private void createClaims(StatefulSet set, Pod pod, int ordinal) {
        for (PersistentVolumeClaim template : set.getSpec().getVolumeClaimTemplates()) {
            String name = StatefulPods.claimName(template, set, ordinal);
            if (claims.getStore().getByKey(set.getMetadata().getNamespace() + "/" + name) != null) {
                continue;
            }
            PersistentVolumeClaim claim = StatefulPods.newClaim(set, template, ordinal, client.getKubernetesSerialization());
            if ("Delete".equals(retention(set, true))) {
                claim.getMetadata().setOwnerReferences(List.of(ownerRefForClaim(set)));
            }
            try {
                client.persistentVolumeClaims().inNamespace(set.getMetadata().getNamespace()).resource(claim).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    continue;
                }
                events.warning(set, "FailedCreate", "create Claim " + name + " for Pod " + pod.getMetadata().getName()
                        + " in StatefulSet " + set.getMetadata().getName() + " failed error: "
                        + ApiFailures.message(e));
                throw e;
            }
            events.normal(set, "SuccessfulCreate", "create Claim " + name + " Pod " + pod.getMetadata().getName()
                    + " in StatefulSet " + set.getMetadata().getName() + " success");
        }
    }

    private void ensureClaims(StatefulSet set, List<Pod> members) {
        int start = StatefulSetPlan.startOrdinal(set);
        for (Pod pod : members) {
            int ordinal = StatefulPods.ordinal(set, pod);
            if (ordinal >= start && ordinal < start + StatefulSetPlan.replicas(set) && !StatefulSetPlan.isTerminating(pod)) {
                createClaims(set, pod, ordinal);
            }
        }
    }

    private static OwnerReference ownerRefForClaim(StatefulSet set) {
        OwnerReference reference = controllerRef(set);
        reference.setController(false);
        return reference;
    }

    /**
     * Hands the ordinal's claims to the condemned pod instead of the set (as upstream), so that the
     * garbage collector deletes them with the pod even while the set lives on.
     */
    private void handClaimsToPod(StatefulSet set, int ordinal, Pod pod) {
        OwnerReference owner = ControllerRefs.controllerRef(pod, "v1", "Pod");
        owner.setController(false);
        for (PersistentVolumeClaim template : set.getSpec().getVolumeClaimTemplates()) {
            String name = StatefulPods.claimName(template, set, ordinal);
            PersistentVolumeClaim claim = claims.getStore().getByKey(set.getMetadata().getNamespace() + "/" + name);
            if (claim == null || claim.getMetadata().getOwnerReferences().stream()
                    .anyMatch(r -> r.getUid().equals(owner.getUid()))) {
                continue;
            }
            PersistentVolumeClaim copy = client.getKubernetesSerialization().clone(claim);
            List<OwnerReference> owners = new ArrayList<>(copy.getMetadata().getOwnerReferences().stream()
                    .filter(r -> !r.getUid().equals(set.getMetadata().getUid())).toList());
            owners.add(owner);
            copy.getMetadata().setOwnerReferences(owners);
            try {
                client.resource(copy).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    private void writeStatus(StatefulSet set, List<Pod> members, RevisionHistory.Revisions revs, Instant now) {
        StatefulSetStatus status = StatefulSetStatusCalculator.compute(set, members, revs.current().getMetadata().getName(),
                revs.update().getMetadata().getName(), now);
        StatefulSetStatus previous = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
        status.setCollisionCount(previous.getCollisionCount());
        status.setConditions(previous.getConditions());
        if (!status.equals(previous)) {
            StatefulSet copy = client.getKubernetesSerialization().clone(set);
            copy.setStatus(status);
            client.resource(copy).updateStatus();
        }
    }

    private void truncateHistory(StatefulSet set, List<Pod> members, RevisionHistory.Revisions revs) {
        Set<String> live = new HashSet<>();
        live.add(revs.current().getMetadata().getName());
        live.add(revs.update().getMetadata().getName());
        members.stream().map(StatefulPods::revision).filter(Objects::nonNull).forEach(live::add);
        int limit = set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit();
        history.truncate(revs.all(), live, limit);
    }

    /** Looks again when a ready pod will have been ready for minReadySeconds. */
    private void requeueForAvailability(String key, StatefulSet set, List<Pod> members, Instant now) {
        Duration wait = PodStates.untilNextAvailable(members,
                set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds(), now);
        if (wait != null) {
            queue.addAfter(key, wait);
        }
    }
}
