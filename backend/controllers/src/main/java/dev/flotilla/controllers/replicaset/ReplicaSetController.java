package dev.flotilla.controllers.replicaset;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.controllers.framework.ApiFailures;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.ownership.ControllerRefClaims;
import dev.flotilla.controllers.ownership.ControllerRefs;
import dev.flotilla.controllers.ownership.PodClaims;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ReplicaSet controller, also run for ReplicationControllers (upstream shares it the same way):
 * claims the pods its selector matches (adopting orphans, releasing pods that stopped matching),
 * creates pods from the template in slow-start batches or deletes the least valuable ones until
 * {@code spec.replicas} active pods exist, and reports replicas, fullyLabeledReplicas,
 * readyReplicas, availableReplicas (minReadySeconds), observedGeneration and the ReplicaFailure
 * condition. Expectations keep it from acting twice on a cache that has not caught up.
 */
public final class ReplicaSetController<T extends HasMetadata> implements Controller {

    /** Upstream's burstReplicas: at most this many creations or deletions per sync. */
    static final int BURST = 500;

    private final ReplicatedKind<T> kind;
    private final Expectations expectations = new Expectations();
    private final ExecutorService calls = Executors.newFixedThreadPool(16, r -> {
        Thread thread = new Thread(r, "replica-calls");
        thread.setDaemon(true);
        return thread;
    });
    private KubernetesClient client;
    private EventRecorder events;
    private SharedIndexInformer<T> sets;
    private SharedIndexInformer<Pod> pods;
    private WorkQueue<String> queue;

    public ReplicaSetController(ReplicatedKind<T> kind) {
        this.kind = kind;
    }

    public static ReplicaSetController<?> forReplicaSets() {
        return new ReplicaSetController<>(new ReplicaSetKind());
    }

    public static ReplicaSetController<?> forReplicationControllers() {
        return new ReplicaSetController<>(new ReplicationControllerKind());
    }

    @Override
    public String name() {
        return kind.controllerName();
    }

    @Override
    public int workers() {
        return 5;
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        this.events = new EventRecorder(client, kind.eventComponent());
        sets = context.informers().of(kind.type());
        pods = context.informers().of(Pod.class);
        sets.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T set) {
                queue.add(Keys.of(set));
            }

            @Override
            public void onUpdate(T old, T set) {
                queue.add(Keys.of(set));
            }

            @Override
            public void onDelete(T set, boolean finalStateUnknown) {
                expectations.forget(Keys.of(set));
                queue.add(Keys.of(set));
            }
        });
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                podAdded(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                podUpdated(old, pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                podDeleted(pod);
            }
        });
    }

    private void podAdded(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            // Restarted and found a pod already going: a deletion, not a creation, to expect.
            podDeleted(pod);
            return;
        }
        T owner = controllingSet(pod);
        if (owner != null) {
            expectations.creationObserved(Keys.of(owner));
            queue.add(Keys.of(owner));
        } else if (ControllerRefs.controllerOf(pod) == null) {
            enqueueMatching(pod);
        }
    }

    private void podUpdated(Pod old, Pod pod) {
        if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
            return;
        }
        boolean labelsChanged = !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels());
        if (pod.getMetadata().getDeletionTimestamp() != null && old.getMetadata().getDeletionTimestamp() == null) {
            podDeleted(pod);
            if (labelsChanged) {
                podDeleted(old);
            }
            return;
        }
        OwnerReference oldRef = ControllerRefs.controllerOf(old);
        OwnerReference newRef = ControllerRefs.controllerOf(pod);
        boolean refChanged = !Objects.equals(oldRef, newRef);
        if (refChanged && oldRef != null) {
            T previous = setNamed(old.getMetadata().getNamespace(), oldRef);
            if (previous != null) {
                queue.add(Keys.of(previous));
            }
        }
        if (newRef != null) {
            T owner = setNamed(pod.getMetadata().getNamespace(), newRef);
            if (owner != null) {
                queue.add(Keys.of(owner));
                int minReady = kind.minReadySeconds(owner);
                if (minReady > 0 && !PodStates.isReady(old) && PodStates.isReady(pod)) {
                    queue.addAfter(Keys.of(owner), Duration.ofSeconds(minReady + 1L));
                }
            }
        } else if (labelsChanged || refChanged) {
            enqueueMatching(pod);
        }
    }

    private void podDeleted(Pod pod) {
        T owner = controllingSet(pod);
        if (owner != null) {
            expectations.deletionObserved(Keys.of(owner), PodStates.key(pod));
            queue.add(Keys.of(owner));
        }
    }

    private T controllingSet(Pod pod) {
        OwnerReference reference = ControllerRefs.controllerOf(pod);
        return reference == null ? null : setNamed(pod.getMetadata().getNamespace(), reference);
    }

    private T setNamed(String namespace, OwnerReference reference) {
        if (!kind.kind().equals(reference.getKind())) {
            return null;
        }
        T set = sets.getStore().getByKey(namespace + "/" + reference.getName());
        return set != null && set.getMetadata().getUid().equals(reference.getUid()) ? set : null;
    }

    /** An orphan (or a pod whose labels changed) may now be wanted by any set whose selector matches. */
    private void enqueueMatching(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        for (T set : sets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
            if (kind.selector(set).matches(labels)) {
                queue.add(Keys.of(set));
            }
        }
    }

    @Override
    public void reconcile(String key) throws Exception {
        T set = sets.getStore().getByKey(key);
        if (set == null) {
            expectations.forget(key);
            return;
        }
        boolean needsSync = expectations.satisfied(key);
        List<Pod> active = pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, Keys.namespace(key)).stream()
                .filter(PodStates::isActive).toList();
        List<Pod> owned = claims(set).claim(active);
        Exception failure = null;
        if (needsSync && set.getMetadata().getDeletionTimestamp() == null) {
            failure = manageReplicas(key, set, owned);
        }
        Instant now = Instant.now();
        ReplicaStatus status = status(set, owned, failure, now);
        if (!status.equals(kind.status(set))) {
            kind.writeStatus(client, set, status);
        }
        requeueForAvailability(key, set, owned, now);
        if (failure != null) {
            throw failure;
        }
    }

    private ControllerRefClaims<Pod> claims(T set) {
        return PodClaims.of(client, set, kind.type(), ControllerRefs.controllerRef(set, kind.apiVersion(), kind.kind()),
                kind.selector(set));
    }

    /** Creates or deletes pods towards spec.replicas; returns the first failure, or null. */
    private Exception manageReplicas(String key, T set, List<Pod> owned) throws InterruptedException {
        int diff = owned.size() - kind.replicas(set);
        if (diff < 0) {
            int wanted = Math.min(-diff, BURST);
            expectations.expectCreations(key, wanted);
            SlowStart.Outcome outcome = SlowStart.run(calls, wanted, 1, () -> {
                createPod(set);
                return null;
            });
            // Creations never made will never be observed.
            for (int i = outcome.successes(); i < wanted; i++) {
                expectations.creationObserved(key);
            }
            return outcome.failure();
        }
        if (diff > 0) {
            List<Pod> doomed = PodDeletionOrder.pick(owned, Math.min(diff, BURST));
            expectations.expectDeletions(key, doomed.stream().map(PodStates::key).toList());
            List<Future<?>> deletions = new ArrayList<>();
            for (Pod pod : doomed) {
                deletions.add(calls.submit(() -> deletePod(set, key, pod)));
            }
            Exception failure = null;
            for (Future<?> deletion : deletions) {
                try {
                    deletion.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof Exception cause ? cause : e;
                    }
                }
            }
            return failure;
        }
        return null;
    }

    private void createPod(T set) {
        PodTemplateSpec template = kind.template(set);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withGenerateName(set.getMetadata().getName() + "-")
                .withNamespace(set.getMetadata().getNamespace())
                .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
                .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
                .withFinalizers(template.getMetadata() == null ? null : template.getMetadata().getFinalizers())
                .withOwnerReferences(ControllerRefs.controllerRef(set, kind.apiVersion(), kind.kind()))
                .endMetadata()
                .withSpec(client.getKubernetesSerialization().clone(template.getSpec()))
                .build();
        try {
            Pod created = client.pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
            events.normal(set, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        } catch (KubernetesClientException e) {
            events.warning(set, "FailedCreate", "Error creating: " + ApiFailures.message(e));
            throw e;
        }
    }

    private void deletePod(T owner, String key, Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
            events.normal(owner, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
        } catch (KubernetesClientException e) {
            // Not deleted, so never observed as deleted; a 404 means it is gone already.
            expectations.deletionObserved(key, PodStates.key(pod));
            if (e.getCode() != 404) {
                events.warning(owner, "FailedDelete", "Error deleting: " + ApiFailures.message(e));
                throw e;
            }
        }
    }

    private ReplicaStatus status(T set, List<Pod> owned, Exception failure, Instant now) {
        Map<String, String> templateLabels = kind.template(set).getMetadata() == null
                || kind.template(set).getMetadata().getLabels() == null ? Map.of()
                : kind.template(set).getMetadata().getLabels();
        LabelSelector fullyLabeled = LabelSelector.fromSet(templateLabels);
        int labeled = 0;
        int ready = 0;
        int available = 0;
        for (Pod pod : owned) {
            if (fullyLabeled.matches(pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels())) {
                labeled++;
            }
            if (PodStates.isReady(pod)) {
                ready++;
                if (PodStates.isAvailable(pod, kind.minReadySeconds(set), now)) {
                    available++;
                }
            }
        }
        ReplicaStatus.Failure previous = kind.status(set).failure();
        ReplicaStatus.Failure condition = null;
        if (failure != null) {
            // As upstream, the first failure stays until a sync succeeds: retries (each with a new
            // generated pod name in the message) do not rewrite status and re-trigger themselves.
            condition = previous != null ? previous : new ReplicaStatus.Failure(
                    owned.size() < kind.replicas(set) ? "FailedCreate" : "FailedDelete", ApiFailures.message(failure),
                    now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        }
        Long generation = set.getMetadata().getGeneration();
        return new ReplicaStatus(owned.size(), labeled, ready, available, generation == null ? 0 : generation, condition);
    }

    /** The API's own words (the Status message), as upstream puts err.Error() in the condition. */

    /** Looks again when the first ready-but-not-yet-available pod will have been ready for minReadySeconds. */
    private void requeueForAvailability(String key, T set, List<Pod> owned, Instant now) {
        Duration wait = PodStates.untilNextAvailable(owned, kind.minReadySeconds(set), now);
        if (wait != null) {
            queue.addAfter(key, wait);
        }
    }

    @Override
    public void stop() {
        calls.shutdownNow();
    }
}
