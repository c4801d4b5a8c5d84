package dev.flotilla.controllers.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.api.tenancy.TenantNamespaceDefaults;
import dev.flotilla.api.tenancy.TenantResourceQuotas;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.quota.TenantResourceQuotaController;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant reconciler: keeps every namespace of a Tenant in line with it (labels, the objects
 * {@link TenantNamespaceDefaults} derives, the defaults-applied annotation pods wait for), the
 * cluster-scoped RBAC through which its owners create namespaces and its members read the Tenant,
 * its aggregate quota ({@link TenantQuotaSync}), and the Tenant's status (with the quota's usage);
 * deletes the tenant's namespaces once the Tenant is gone. Keys are tenant names; a namespace event
 * enqueues the tenant its label names, a TenantResourceQuota event the tenant it is named after.
 */
public final class TenantController implements Controller {

    private static final Logger LOG = LoggerFactory.getLogger(TenantController.class);
    static final java.time.Duration CHARGE_GRACE = java.time.Duration.ofSeconds(30);
    static final ResourceDefinitionContext TENANTS = new ResourceDefinitionContext.Builder()
            .withGroup(TenancyApi.GROUP).withVersion(TenancyApi.VERSION).withKind(TenancyApi.KIND)
            .withPlural(TenancyApi.TENANTS).withNamespaced(false).build();

    private KubernetesClient client;
    private SharedIndexInformer<GenericKubernetesResource> tenants;
    private SharedIndexInformer<Namespace> namespaces;
    private TenantNamespaceSync sync;
    private TenantClusterRbac clusterRbac;
    private TenantQuotaSync quotaSync;
    private WorkQueue<String> queue;
    /** Namespaces admission charged to a tenant that do not exist (yet), with when that was first seen. */
    private final Map<String, Instant> chargedButMissing = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "tenant";
    }

    /** Several tenants are reconciled at once (each one's namespaces one after another). */
    @Override
    public int workers() {
        return 4;
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        this.sync = new TenantNamespaceSync(client, new ManagedObjects(context.informers(), queue));
        SharedIndexInformer<ClusterRole> clusterRoles = context.informers().of(ClusterRole.class);
        SharedIndexInformer<ClusterRoleBinding> clusterRoleBindings = context.informers().of(ClusterRoleBinding.class);
        clusterRoles.addEventHandler(Enqueue.by(queue, ManagedObjects::tenantOf));
        clusterRoleBindings.addEventHandler(Enqueue.by(queue, ManagedObjects::tenantOf));
        this.clusterRbac = new TenantClusterRbac(client, clusterRoles, clusterRoleBindings);
        tenants = context.informers().of(TENANTS, informer -> {
        });
        tenants.addEventHandler(Enqueue.by(queue, tenant -> tenant.getMetadata().getName()));
        SharedIndexInformer<GenericKubernetesResource> quotas = context.informers()
                .of(TenantResourceQuotaController.QUOTAS, informer -> {
                });
        this.quotaSync = new TenantQuotaSync(client, quotas);
        // The aggregate quota's usage shows in the Tenant's status.
        quotas.addEventHandler(Enqueue.by(queue, quota -> quota.getMetadata().getName()));
        namespaces = context.informers().of(Namespace.class);
        // A namespace relabelled by a platform admin leaves its old tenant's status to the next resync.
        namespaces.addEventHandler(Enqueue.by(queue, TenantController::labelOf));
    }

    @Override
    public void reconcile(String name) {
        GenericKubernetesResource cached = tenants.getStore().getByKey(name);
        // The cache may lag behind a deletion or a re-creation: ask the API before acting on either.
        GenericKubernetesResource tenant = cached != null ? cached
                : client.genericKubernetesResources(TENANTS).withName(name).get();
        List<Namespace> owned = namespaces.getStore().list().stream()
                .filter(ns -> name.equals(labelOf(ns))).toList();
        if (tenant == null || tenant.getMetadata().getDeletionTimestamp() != null) {
            deleteTenant(name, owned);
            return;
        }
        ObjectNode tenantJson = Json.mapper().valueToTree(tenant);
        clusterRbac.sync(tenantJson);
        Optional<JsonNode> quota = quotaSync.sync(tenantJson);
        // Without a quota pods may run at once; with one, once the quota controller has counted it.
        boolean admitPods = TenantResourceQuotas.of(tenantJson).isEmpty()
                || quota.filter(TenantResourceQuotas::counted).isPresent();
        TreeSet<String> names = new TreeSet<>();
        for (Namespace namespace : owned) {
            names.add(namespace.getMetadata().getName());
            if (namespace.getMetadata().getDeletionTimestamp() == null) {
                sync.sync(tenantJson, namespace, admitPods);
            }
        }
        keepRecentCharges(tenant, names);
        updateStatus(tenant, names, quota);
    }

    /**
     * Keeps in the status, for {@link #CHARGE_GRACE}, the namespaces admission has charged but that do
     * not exist yet: dropping the charge of a create still in flight would let another create past the
     * namespace quota. A charge whose create failed is dropped after the grace period.
     */
    private void keepRecentCharges(GenericKubernetesResource tenant, TreeSet<String> names) {
        String tenantName = tenant.getMetadata().getName();
        JsonNode charged = Json.mapper().valueToTree(tenant).path("status").path("namespaces");
        Instant now = Instant.now();
        for (JsonNode entry : charged) {
            String namespace = entry.asText();
            String key = tenantName + "/" + namespace;
            if (names.contains(namespace)) {
                chargedButMissing.remove(key);
                continue;
            }
            Instant since = chargedButMissing.computeIfAbsent(key, k -> now);
            if (since.plus(CHARGE_GRACE).isAfter(now)) {
                names.add(namespace);
                queue.addAfter(tenantName, CHARGE_GRACE);
            } else {
                chargedButMissing.remove(key);
            }
        }
    }

    private void deleteTenant(String name, List<Namespace> owned) {
        for (Namespace namespace : owned) {
            Map<String, String> annotations = namespace.getMetadata().getAnnotations();
            if (namespace.getMetadata().getDeletionTimestamp() != null || annotations == null
                    || !name.equals(annotations.get(TenancyApi.DEFAULTS_ANNOTATION))) {
                continue;
            }
            try {
                client.namespaces().withName(namespace.getMetadata().getName()).delete();
                LOG.info("deleting namespace {} of deleted tenant {}", namespace.getMetadata().getName(), name);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        clusterRbac.delete(name);
        quotaSync.delete(name);
    }

    private void updateStatus(GenericKubernetesResource tenant, TreeSet<String> names, Optional<JsonNode> quota) {
        ObjectNode current = Json.mapper().valueToTree(tenant);
        JsonNode status = current.path("status");
        ObjectNode wanted = Json.mapper().createObjectNode();
        wanted.set("namespaces", Json.mapper().valueToTree(List.copyOf(names)));
        wanted.put("size", names.size());
        quota.map(q -> q.path("status")).filter(JsonNode::isObject).ifPresent(counted -> {
            ObjectNode resourceQuota = wanted.putObject("resourceQuota");
            resourceQuota.set("hard", counted.path("hard"));
            resourceQuota.set("used", counted.path("used"));
        });
        ObjectNode ready = wanted.putArray("conditions").addObject();
        ready.put("type", "Ready");
        ready.put("status", "True");
        ready.put("reason", "Reconciled");
        ready.put("message", names.size() + " namespace(s) carry the tenant's defaults");
        JsonNode previous = status.path("conditions").path(0);
        boolean sameCondition = previous.path("status").asText().equals("True")
                && previous.path("message").asText().equals(ready.path("message").asText());
        ready.put("lastTransitionTime", sameCondition ? previous.path("lastTransitionTime").asText()
                : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (Objects.equals(status, wanted)) {
            return;
        }
        current.set("status", wanted);
        client.genericKubernetesResources(TENANTS)
                .resource(Json.mapper().convertValue(current, GenericKubernetesResource.class)).updateStatus();
    }

    private static String labelOf(Namespace namespace) {
        Map<String, String> labels = namespace.getMetadata().getLabels();
        String tenant = labels == null ? null : labels.get(TenancyApi.TENANT_LABEL);
        return tenant == null || tenant.isEmpty() ? null : tenant;
    }
}
