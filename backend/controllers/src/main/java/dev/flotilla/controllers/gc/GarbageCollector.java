package dev.flotilla.controllers.gc;

import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Discovery;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector: an ownerReferences graph held in informers over every resource discovery
 * lists (rediscovered every 30 s so new custom resources join), indexed by uid and by owner uid.
 * Keys are uids. For each object it:
 * <ul>
 * <li>orphans the dependents of an owner deleted with {@code orphan} (removes their reference to
 * it), then removes that finalizer;</li>
 * <li>deletes the dependents of an owner deleted with {@code foregroundDeletion} and removes that
 * finalizer once no dependent with blockOwnerDeletion is left;</li>
 * <li>deletes an object whose owners are all gone (checked by uid, with the API when the caches do
 * not know the owner), and drops references to gone owners when some owner remains.</li>
 * </ul>
 */
public final class GarbageCollector implements Controller {

    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    static final String ORPHAN = "orphan";
    static final String FOREGROUND = "foregroundDeletion";
    private static final String BY_UID = "uid";
    private static final String BY_OWNER = "owner-uid";
    private static final Set<String> IGNORED = Set.of("events", "events.events.k8s.io");

    private final Map<String, Graphed> graphs = new ConcurrentHashMap<>();
    private KubernetesClient client;
    private ControllerContext context;
    private WorkQueue<String> queue;
    private ScheduledExecutorService rediscovery;

    /** One resource's informer and how to reach the resource. */
    private record Graphed(ResourceDefinitionContext resource, SharedIndexInformer<GenericKubernetesResource> informer) {
    }

    @Override
    public String name() {
        return "garbagecollector";
    }

    @Override
    public int workers() {
        return 4;
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.context = context;
        this.client = context.client();
        this.queue = queue;
        discover();
        rediscovery = DaemonThreads.scheduler("garbagecollector-rediscovery");
        rediscovery.scheduleWithFixedDelay(this::discover, 30, 30, TimeUnit.SECONDS);
    }

    /** Adds informers for resources discovery lists that are not in the graph yet. */
    private void discover() {
        try {
            for (Discovery.Resource resource : Discovery.preferredResources(client).resources()) {
                if (resource.supports("list") && resource.supports("watch") && resource.supports("delete")
                        && !IGNORED.contains(resource.groupResource())) {
                    graphs.computeIfAbsent(resource.groupResource(), k -> graph(resource.context()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("garbage collector discovery failed: {}", e.toString());
        }
    }

    private Graphed graph(ResourceDefinitionContext resource) {
        SharedIndexInformer<GenericKubernetesResource> informer = context.informers().of(resource,
                added -> added.addIndexers(Map.of(
                        BY_UID, o -> List.of(o.getMetadata().getUid()),
                        BY_OWNER, o -> o.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).toList())));
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource object) {
                changed(object);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource object) {
                changed(object);
            }

            @Override
            public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
                // Its dependents may now be garbage; its owners may be waiting for it.
                dependents(object.getMetadata().getUid()).forEach(d -> queue.add(d.getMetadata().getUid()));
                object.getMetadata().getOwnerReferences().forEach(o -> queue.add(o.getUid()));
            }
        });
        return new Graphed(resource, informer);
    }

    private void changed(GenericKubernetesResource object) {
        var meta = object.getMetadata();
        if (!meta.getOwnerReferences().isEmpty() || meta.getDeletionTimestamp() != null) {
            queue.add(meta.getUid());
        }
        meta.getOwnerReferences().forEach(o -> queue.add(o.getUid()));
    }

    private List<GenericKubernetesResource> dependents(String uid) {
        List<GenericKubernetesResource> found = new ArrayList<>();
        for (Graphed graphed : graphs.values()) {
            found.addAll(graphed.informer().getIndexer().byIndex(BY_OWNER, uid));
        }
        return found;
    }

    private Graphed graphOf(GenericKubernetesResource object) {
        String apiVersion = object.getApiVersion();
        for (Graphed graphed : graphs.values()) {
            ResourceDefinitionContext r = graphed.resource();
            String gv = r.getGroup() == null || r.getGroup().isEmpty() ? r.getVersion() : r.getGroup() + "/" + r.getVersion();
            if (r.getKind().equals(object.getKind()) && gv.equals(apiVersion)) {
                return graphed;
            }
        }
        return null;
    }

    private GenericKubernetesResource cached(String uid) {
        for (Graphed graphed : graphs.values()) {
            List<GenericKubernetesResource> hits = graphed.informer().getIndexer().byIndex(BY_UID, uid);
            if (!hits.isEmpty()) {
                return hits.get(0);
            }
        }
        return null;
    }

    @Override
    public void reconcile(String uid) {
        GenericKubernetesResource object = cached(uid);
        if (object == null) {
            return;
        }
        Graphed graphed = graphOf(object);
        if (graphed == null) {
            return;
        }
        List<String> finalizers = object.getMetadata().getFinalizers();
        if (object.getMetadata().getDeletionTimestamp() != null && finalizers.contains(ORPHAN)) {
            orphanDependents(object);
            removeFinalizer(graphed, object, ORPHAN);
            return;
        }
        if (object.getMetadata().getDeletionTimestamp() != null && finalizers.contains(FOREGROUND)) {
            if (deleteDependentsInForeground(object)) {
                removeFinalizer(graphed, object, FOREGROUND);
            }
            return;
        }
        collectIfOwnersGone(graphed, object);
    }

    private void orphanDependents(GenericKubernetesResource owner) {
        String uid = owner.getMetadata().getUid();
        for (GenericKubernetesResource cachedDependent : dependents(uid)) {
            GenericKubernetesResource dependent = copy(cachedDependent);
            Graphed graphed = graphOf(dependent);
            if (graphed == null) {
                continue;
            }
            dependent.getMetadata().setOwnerReferences(new ArrayList<>(dependent.getMetadata().getOwnerReferences()
                    .stream().filter(o -> !uid.equals(o.getUid())).toList()));
            ignoreGone(() -> resourceOf(graphed, dependent).update());
        }
    }

    /** Deletes the owner's dependents; true once none that blocks the owner's deletion is left. */
    private boolean deleteDependentsInForeground(GenericKubernetesResource owner) {
        boolean blocked = false;
        for (GenericKubernetesResource dependent : dependents(owner.getMetadata().getUid())) {
            Graphed graphed = graphOf(dependent);
            if (graphed == null) {
                continue;
            }
            boolean blocks = dependent.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> owner.getMetadata().getUid().equals(o.getUid())
                            && Boolean.TRUE.equals(o.getBlockOwnerDeletion()));
            blocked |= blocks;
            if (dependent.getMetadata().getDeletionTimestamp() == null) {
                ignoreGone(() -> resourceOf(graphed, dependent)
                        .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete());
            }
        }
        return !blocked;
    }

    private void collectIfOwnersGone(Graphed graphed, GenericKubernetesResource object) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        if (owners.isEmpty() || object.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        List<OwnerReference> gone = new ArrayList<>();
        boolean ownerDeletingInForeground = false;
        for (OwnerReference reference : owners) {
            GenericKubernetesResource owner = owner(object, reference);
            if (owner == null) {
                gone.add(reference);
            } else if (owner.getMetadata().getDeletionTimestamp() != null
                    && owner.getMetadata().getFinalizers().contains(FOREGROUND)) {
                ownerDeletingInForeground = true;
            }
        }
        if (gone.size() == owners.size()) {
            DeletionPropagation policy = ownerDeletingInForeground ? DeletionPropagation.FOREGROUND
                    : DeletionPropagation.BACKGROUND;
            ignoreGone(() -> resourceOf(graphed, object).withPropagationPolicy(policy).delete());
        } else if (!gone.isEmpty()) {
            object.getMetadata().setOwnerReferences(new ArrayList<>(owners.stream().filter(o -> !gone.contains(o)).toList()));
            ignoreGone(() -> resourceOf(graphed, object).update());
        }
    }

    /**
     * The owner a reference names, or null when it is gone: not in the caches, and the API has no
     * object of that name with that uid (a dangling reference, or a new object reusing the name).
     */
    private GenericKubernetesResource owner(GenericKubernetesResource dependent, OwnerReference reference) {
        GenericKubernetesResource cached = cached(reference.getUid());
        if (cached != null) {
            return cached;
        }
        GenericKubernetesResource probe = new GenericKubernetesResource();
        probe.setApiVersion(reference.getApiVersion());
        probe.setKind(reference.getKind());
        Graphed graphed = graphOf(probe);
        if (graphed == null) {
            // A kind discovery does not serve: keep the reference rather than guess.
            return probe;
        }
        var resources = client.genericKubernetesResources(graphed.resource());
        GenericKubernetesResource live = graphed.resource().isNamespaceScoped()
                ? resources.inNamespace(dependent.getMetadata().getNamespace()).withName(reference.getName()).get()
                : resources.withName(reference.getName()).get();
        return live != null && reference.getUid().equals(live.getMetadata().getUid()) ? live : null;
    }

    /** Cached objects are shared with the informer: a failed write must not leave them changed. */
    private GenericKubernetesResource copy(GenericKubernetesResource cached) {
        return client.getKubernetesSerialization().clone(cached);
    }

    private void removeFinalizer(Graphed graphed, GenericKubernetesResource cached, String finalizer) {
        GenericKubernetesResource object = copy(cached);
        object.getMetadata().setFinalizers(new ArrayList<>(object.getMetadata().getFinalizers().stream()
                .filter(f -> !f.equals(finalizer)).toList()));
        ignoreGone(() -> resourceOf(graphed, object).update());
    }

    private io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> resourceOf(Graphed graphed,
            GenericKubernetesResource object) {
        var resources = client.genericKubernetesResources(graphed.resource());
        return graphed.resource().isNamespaceScoped()
                ? resources.inNamespace(object.getMetadata().getNamespace()).resource(object)
                : resources.resource(object);
    }

    /** Runs a write; an object already gone is the goal reached, not a failure. */
    private static void ignoreGone(Runnable write) {
        try {
            write.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    public void stop() {
        if (rediscovery != null) {
            rediscovery.shutdownNow();
        }
    }
}
