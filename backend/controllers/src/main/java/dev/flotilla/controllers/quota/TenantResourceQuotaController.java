package dev.flotilla.controllers.quota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps every TenantResourceQuota's status as the ResourceQuota controller keeps a quota's, but over
 * all the namespaces of its tenant (those whose tenant label names it): {@code status.hard} from
 * {@code spec.hard}, {@code status.used} recomputed when the quota is added or its spec changes, when
 * an object in one of those namespaces stops counting, when a namespace leaves or joins the tenant,
 * and every 5 minutes. Keys are tenant (and quota) names; charging is the API server's admission.
 */
public final class TenantResourceQuotaController implements Controller {

    public static final ResourceDefinitionContext QUOTAS = new ResourceDefinitionContext.Builder()
            .withGroup(TenancyApi.GROUP).withVersion(TenancyApi.VERSION).withKind(TenancyApi.QUOTA_KIND)
            .withPlural(TenancyApi.QUOTAS).withNamespaced(false).build();

    private KubernetesClient client;
    private SharedIndexInformer<GenericKubernetesResource> quotas;
    private SharedIndexInformer<Namespace> namespaces;
    private CountedObjects counted;
    private PeriodicResync resync;
    private WorkQueue<String> queue;
    private final RecentCharges charges = new RecentCharges();

    @Override
    public String name() {
        return "tenantresourcequota";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        client = context.client();
        this.queue = queue;
        quotas = context.informers().of(QUOTAS, informer -> {
        });
        namespaces = context.informers().of(Namespace.class);
        counted = new CountedObjects(context);
        quotas.addEventHandler(new SpecChanges(queue, charges));
        counted.onUsageReleased(namespace -> enqueueTenantOf(queue, namespace));
        namespaces.addEventHandler(new Membership(queue));
        resync = PeriodicResync.every(ResourceQuotaController.FULL_RESYNC, "tenantresourcequota-resync",
                () -> quotas.getStore().list().forEach(q -> queue.add(q.getMetadata().getName())));
    }

    @Override
    public void stop() {
        if (resync != null) {
            resync.stop();
        }
    }

    @Override
    public void reconcile(String name) {
        GenericKubernetesResource cached = quotas.getStore().getByKey(name);
        if (cached == null) {
            return;
        }
        ObjectNode object = Json.mapper().valueToTree(cached);
        ResourceQuota quota = Json.mapper().convertValue(object, ResourceQuota.class);
        if (quota.getSpec() == null || quota.getSpec().getHard() == null) {
            return;
        }
        List<String> members = namespaces.getStore().list().stream().filter(ns -> name.equals(tenantOf(ns)))
                .map(ns -> ns.getMetadata().getName()).toList();
        Map<String, Quantity> used = QuotaUsage.of(quota, counted.in(members));
        Map<String, Quantity> hard = quota.getSpec().getHard();
        if (quota.getStatus() != null && ResourceQuotaController.same(quota.getStatus().getHard(), hard)
                && ResourceQuotaController.same(quota.getStatus().getUsed(), used)) {
            return;
        }
        if (quota.getStatus() != null && RecentCharges.lowers(quota.getStatus().getUsed(), used)) {
            Optional<Duration> settling = charges.settling(name);
            if (settling.isPresent()) {
                queue.addAfter(name, settling.get());
                return;
            }
        }
        ObjectNode status = object.putObject("status");
        status.set("hard", Json.mapper().valueToTree(hard));
        status.set("used", Json.mapper().valueToTree(used));
        try {
            GenericKubernetesResource written = client.genericKubernetesResources(QUOTAS)
                    .resource(Json.mapper().convertValue(object, GenericKubernetesResource.class)).updateStatus();
            charges.wrote(name, written.getMetadata().getResourceVersion());
        } catch (KubernetesClientException e) {
            // 409 (admission charged meanwhile) propagates, so the key is retried with back-off.
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void enqueueTenantOf(WorkQueue<String> queue, String namespace) {
        Namespace cached = namespaces.getStore().getByKey(namespace);
        String tenant = cached == null ? null : tenantOf(cached);
        if (tenant != null) {
            queue.add(tenant);
        }
    }

    private static String tenantOf(Namespace namespace) {
        Map<String, String> labels = namespace.getMetadata().getLabels();
        String tenant = labels == null ? null : labels.get(TenancyApi.TENANT_LABEL);
        return tenant == null || tenant.isEmpty() ? null : tenant;
    }

    /**
     * As the ResourceQuota controller: on add and spec changes, not on admission's status writes,
     * which are noted as charges ({@link RecentCharges}).
     */
    private static final class SpecChanges implements ResourceEventHandler<GenericKubernetesResource> {
        private final WorkQueue<String> queue;
        private final RecentCharges charges;

        SpecChanges(WorkQueue<String> queue, RecentCharges charges) {
            this.queue = queue;
            this.charges = charges;
        }

        @Override
        public void onAdd(GenericKubernetesResource quota) {
            queue.add(quota.getMetadata().getName());
        }

        @Override
        public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource quota) {
            Object before = old.getAdditionalProperties().get("spec");
            if (!Objects.equals(before, quota.getAdditionalProperties().get("spec"))) {
                queue.add(quota.getMetadata().getName());
            }
            charges.observed(quota.getMetadata().getName(), usedOf(old), usedOf(quota),
                    quota.getMetadata().getResourceVersion());
        }

        @Override
        public void onDelete(GenericKubernetesResource quota, boolean finalStateUnknown) {
            charges.forget(quota.getMetadata().getName());
        }

        private static Map<String, Quantity> usedOf(GenericKubernetesResource quota) {
            ResourceQuota typed = Json.mapper().convertValue(quota, ResourceQuota.class);
            return typed.getStatus() == null ? null : typed.getStatus().getUsed();
        }
    }

    /** A namespace leaving its tenant (deleted, relabelled) or joining one changes the tenant's usage. */
    private static final class Membership implements ResourceEventHandler<Namespace> {
        private final WorkQueue<String> queue;

        Membership(WorkQueue<String> queue) {
            this.queue = queue;
        }

        @Override
        public void onAdd(Namespace namespace) {
        }

        @Override
        public void onUpdate(Namespace old, Namespace namespace) {
            String before = tenantOf(old);
            String after = tenantOf(namespace);
            if (!Objects.equals(before, after)) {
                if (before != null) {
                    queue.add(before);
                }
                if (after != null) {
                    queue.add(after);
                }
            }
        }

        @Override
        public void onDelete(Namespace namespace, boolean finalStateUnknown) {
            String tenant = tenantOf(namespace);
            if (tenant != null) {
                queue.add(tenant);
            }
        }
    }
}
