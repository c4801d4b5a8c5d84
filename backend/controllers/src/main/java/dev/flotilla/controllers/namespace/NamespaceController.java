package dev.flotilla.controllers.namespace;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.NamespaceFinalize;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Empties a deleted namespace: once it is Terminating, deletes every namespaced object in it, keeps
 * upstream's deletion conditions in its status while content remains, and then removes the
 * {@code kubernetes} finalizer through {@code namespaces/<name>/finalize}, which lets the API
 * server delete it.
 */
public final class NamespaceController implements Controller {

    static final String FINALIZER = "kubernetes";
    /** How soon a namespace whose content is still going away (finalizers, graceful pods) is looked at again. */
    private static final Duration CONTENT_REMAINING_RECHECK = Duration.ofSeconds(2);

    private KubernetesClient client;
    private SharedIndexInformer<Namespace> namespaces;
    private WorkQueue<String> queue;
    private NamespaceContentDeleter deleter;

    @Override
    public String name() {
        return "namespace";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        this.deleter = new NamespaceContentDeleter(client);
        namespaces = context.informers().of(Namespace.class);
        namespaces.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace namespace) {
                enqueue(namespace);
            }

            @Override
            public void onUpdate(Namespace old, Namespace namespace) {
                enqueue(namespace);
            }

            @Override
            public void onDelete(Namespace namespace, boolean finalStateUnknown) {
            }
        });
    }

    private void enqueue(Namespace namespace) {
        if (namespace.getMetadata().getDeletionTimestamp() != null) {
            queue.add(namespace.getMetadata().getName());
        }
    }

    @Override
    public void reconcile(String name) throws Exception {
        Namespace namespace = namespaces.getStore().getByKey(name);
        if (namespace == null || namespace.getMetadata().getDeletionTimestamp() == null
                || namespace.getSpec() == null || !namespace.getSpec().getFinalizers().contains(FINALIZER)) {
            return;
        }
        NamespaceContentDeleter.Outcome outcome = deleter.delete(name);
        updateConditions(namespace, outcome);
        if (!outcome.discoveryFailures().isEmpty() || !outcome.deletionErrors().isEmpty()) {
            throw new IllegalStateException("namespace " + name + " not emptied: " + outcome);
        }
        if (!outcome.remaining().isEmpty()) {
            queue.addAfter(name, CONTENT_REMAINING_RECHECK);
            return;
        }
        List<String> finalizers = new ArrayList<>(namespace.getSpec().getFinalizers());
        finalizers.remove(FINALIZER);
        Namespace finalized = new NamespaceBuilder(namespace).editSpec().withFinalizers(finalizers).endSpec().build();
        finalized.getMetadata().setResourceVersion(null);
        NamespaceFinalize.put(client, finalized);
    }

    private void updateConditions(Namespace namespace, NamespaceContentDeleter.Outcome outcome) {
        List<NamespaceCondition> previous = namespace.getStatus() == null ? List.of()
                : namespace.getStatus().getConditions();
        List<NamespaceCondition> conditions = NamespaceConditions.after(outcome, previous);
        if (NamespaceConditions.same(conditions, previous)) {
            return;
        }
        Namespace updated = new NamespaceBuilder(namespace).editOrNewStatus().withConditions(conditions).endStatus().build();
        client.namespaces().resource(updated).updateStatus();
    }
}
