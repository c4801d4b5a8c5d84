package dev.flotilla.controllers.quota;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps every ResourceQuota's status: {@code status.hard} from {@code spec.hard}, and
 * {@code status.used} recomputed when a quota is added or its spec changes, when objects it counts are deleted or stop counting, and every 5 minutes (upstream's default
 * quota sync period). Enforcement, and charging new objects, is the API server's admission.
 */
public final class ResourceQuotaController implements Controller {

    static final Duration FULL_RESYNC = Duration.ofMinutes(5);

    private KubernetesClient client;
    private SharedIndexInformer<ResourceQuota> quotas;
    private CountedObjects counted;
    private PeriodicResync resync;
    private WorkQueue<String> queue;
    private final RecentCharges charges = new RecentCharges();

    @Override
    public String name() {
        return "resourcequota";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        client = context.client();
        this.queue = queue;
        quotas = context.informers().of(ResourceQuota.class);
        counted = new CountedObjects(context);
        quotas.addEventHandler(new SpecChanges(queue, charges));
        // Every quota of the namespace is recomputed when an object there stops counting.
        counted.onUsageReleased(namespace -> quotas.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)
                .forEach(quota -> queue.add(Keys.of(quota))));
        resync = PeriodicResync.every(FULL_RESYNC, "resourcequota-resync",
                () -> quotas.getStore().list().forEach(q -> queue.add(Keys.of(q))));
    }

    /**
     * A quota is queued when added or when its spec changes, not for status updates: those are the
     * API server's admission charging usage, and recomputing on them from informers that may not yet
     * hold the object just charged would write the charge away (upstream ignores them too). They are
     * noted in {@link RecentCharges}, so that a recount for other reasons does not lower usage while
     * charged objects may still be on their way to the informers.
     */
    private static final class SpecChanges implements ResourceEventHandler<ResourceQuota> {
        private final WorkQueue<String> queue;
        private final RecentCharges charges;

        SpecChanges(WorkQueue<String> queue, RecentCharges charges) {
            this.queue = queue;
            this.charges = charges;
        }

        @Override
        public void onAdd(ResourceQuota quota) {
            queue.add(Keys.of(quota));
        }

        @Override
        public void onUpdate(ResourceQuota old, ResourceQuota quota) {
            if (!Objects.equals(old.getSpec(), quota.getSpec())) {
                queue.add(Keys.of(quota));
            }
            charges.observed(Keys.of(quota), usedOf(old), usedOf(quota), quota.getMetadata().getResourceVersion());
        }

        @Override
        public void onDelete(ResourceQuota quota, boolean finalStateUnknown) {
            charges.forget(Keys.of(quota));
        }

        private static Map<String, Quantity> usedOf(ResourceQuota quota) {
            return quota.getStatus() == null ? null : quota.getStatus().getUsed();
        }
    }

    @Override
    public void stop() {
        if (resync != null) {
            resync.stop();
        }
    }

    @Override
    public void reconcile(String key) {
        ResourceQuota quota = quotas.getStore().getByKey(key);
        if (quota == null || quota.getSpec() == null || quota.getSpec().getHard() == null) {
            return;
        }
        String namespace = Keys.namespace(key);
        QuotaUsage.Namespace usage = counted.in(List.of(namespace));
        Map<String, Quantity> used = QuotaUsage.of(quota, usage);
        Map<String, Quantity> hard = quota.getSpec().getHard();
        if (quota.getStatus() != null && same(quota.getStatus().getHard(), hard) && same(quota.getStatus().getUsed(), used)) {
            return;
        }
        if (quota.getStatus() != null && RecentCharges.lowers(quota.getStatus().getUsed(), used)) {
            Optional<Duration> settling = charges.settling(key);
            if (settling.isPresent()) {
                queue.addAfter(key, settling.get());
                return;
            }
        }
        ResourceQuota updated = new ResourceQuotaBuilder(quota).withNewStatus().withHard(hard).withUsed(used)
                .endStatus().build();
        try {
            ResourceQuota written = client.resourceQuotas().inNamespace(namespace).resource(updated).updateStatus();
            charges.wrote(key, written.getMetadata().getResourceVersion());
        } catch (KubernetesClientException e) {
            // 409 (admission charged meanwhile) propagates, so the key is retried with back-off.
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    static boolean same(Map<String, Quantity> a, Map<String, Quantity> b) {
        if (a == null || a.size() != b.size()) {
            return false;
        }
        return b.entrySet().stream().allMatch(e -> e.getValue().toString().equals(String.valueOf(a.get(e.getKey()))));
    }
}
