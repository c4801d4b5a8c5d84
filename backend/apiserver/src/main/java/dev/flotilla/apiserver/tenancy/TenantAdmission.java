package dev.flotilla.apiserver.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.api.tenancy.TenantNamespaceDefaults;
import dev.flotilla.api.tenancy.TenantSubjects;
import dev.flotilla.apiserver.admission.AdmissionAttributes;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import dev.flotilla.apiserver.admission.AdmissionPlugin;
import dev.flotilla.apiserver.resource.ResourceStore;
import dev.flotilla.storage.StoredObject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The tenant boundary (docs/tenancy.md): a namespace a tenant owner creates joins the owner's tenant
 * (its tenant and pod-security labels set here) within the tenant's namespace quota; the tenant
 * label never changes except by a platform admin; no pod starts in a tenant namespace before the
 * tenant reconciler has given it the tenant's defaults (quota, limits, network policy, role bindings);
 * pods and Services keep to the Tenant's node pool, registries and allow flags
 * ({@link TenantWorkloadRules}); and the defaults themselves change only by platform admins
 * ({@link TenantDefaultsGuard}).
 *
 * <p>The namespace quota is charged like upstream's ResourceQuota: the new namespace's name is added
 * to the Tenant's {@code status.namespaces} by compare-and-swap before the namespace is stored, so
 * concurrent creates (on any API server) can never exceed it; a charge for a create that then fails
 * is dropped by the reconciler, which recomputes the status from the namespaces that exist.
 */
@Singleton
public class TenantAdmission implements AdmissionPlugin {

    /** How long a pod create waits for the reconciler to finish a new namespace before it is refused. */
    static final Duration DEFAULTS_WAIT = Duration.ofSeconds(15);
    private static final int CHARGE_ATTEMPTS = 10;

    private final Tenants tenants;
    private final ResourceStore store;
    private final ResourceType namespaces;

    public TenantAdmission(Tenants tenants, ResourceStore store, ResourceRegistry registry) {
        this.tenants = tenants;
        this.store = store;
        this.namespaces = registry.find("", "v1", "namespaces").orElseThrow();
    }

    @Override
    public String name() {
        return "TenantBoundary";
    }

    @Override
    public void admit(AdmissionAttributes attributes) {
        if (attributes.is("", "namespaces") && attributes.operation() == AdmissionOperation.CREATE) {
            // Only the reconciler says a namespace has its defaults; one created claiming so would let pods in early.
            JsonNode annotations = attributes.object().path("metadata").path("annotations");
            if (annotations instanceof ObjectNode writable) {
                writable.remove(TenancyApi.DEFAULTS_ANNOTATION);
            }
            tenantOf(attributes).ifPresent(tenant -> label(attributes, tenant));
        } else if (attributes.is("", "pods") && attributes.operation() == AdmissionOperation.CREATE) {
            tenantOfNamespace(attributes.namespace()).flatMap(tenant ->
                    TenantWorkloadRules.forceNodePool(tenant, attributes.object())).ifPresent(why -> {
                        throw attributes.forbidden(why);
                    });
        }
    }

    @Override
    public void validate(AdmissionAttributes attributes) {
        if (attributes.subresource() == null) {
            TenantDefaultsGuard.refusal(attributes.operation(), attributes.object(), attributes.oldObject())
                    .filter(why -> !tenants.isPlatformAdmin(attributes.user())).ifPresent(why -> {
                        throw attributes.forbidden(why);
                    });
        }
        if (attributes.is("", "namespaces")) {
            if (attributes.operation() == AdmissionOperation.UPDATE) {
                guardLabels(attributes);
            } else if (attributes.operation() == AdmissionOperation.CREATE) {
                String tenant = labels(attributes.object()).path(TenancyApi.TENANT_LABEL).asText("");
                if (!tenant.isEmpty() && !attributes.dryRun()) {
                    charge(attributes, tenant);
                }
            }
        } else if (attributes.is("", "pods") && attributes.operation() == AdmissionOperation.CREATE) {
            awaitDefaults(attributes);
            checkPod(attributes);
        } else if (attributes.type().group().isEmpty() && attributes.type().resource().equals("pods")
                && "ephemeralcontainers".equals(attributes.subresource())) {
            // kubectl debug adds containers to a running pod: their images keep to the tenant's registries too.
            checkPod(attributes);
        } else if (attributes.is("", "services") && (attributes.operation() == AdmissionOperation.CREATE
                || attributes.operation() == AdmissionOperation.UPDATE)) {
            tenantOfNamespace(attributes.namespace()).flatMap(tenant ->
                    TenantWorkloadRules.checkService(tenant, attributes.object())).ifPresent(why -> {
                        throw attributes.forbidden(why);
                    });
        }
    }

    private void checkPod(AdmissionAttributes attributes) {
        tenantOfNamespace(attributes.namespace()).flatMap(tenant ->
                TenantWorkloadRules.checkPod(tenant, attributes.object())).ifPresent(why -> {
                    throw attributes.forbidden(why);
                });
    }

    /** The Tenant of a namespace (by its label, as the cache has it); empty outside tenancy. */
    private Optional<ObjectNode> tenantOfNamespace(String namespace) {
        String tenant = store.getPreferCached(namespaces, null, namespace)
                .map(ns -> labels(ns).path(TenancyApi.TENANT_LABEL).asText("")).orElse("");
        return tenant.isEmpty() ? Optional.empty() : tenants.find(tenant);
    }

    /**
     * The tenant a new namespace joins: the one its label names (which the creator must own, unless a
     * platform admin), else the one tenant the creator owns; none for a namespace outside tenancy.
     */
    private Optional<ObjectNode> tenantOf(AdmissionAttributes attributes) {
        boolean admin = tenants.isPlatformAdmin(attributes.user());
        String named = labels(attributes.object()).path(TenancyApi.TENANT_LABEL).asText("");
        if (!named.isEmpty()) {
            ObjectNode tenant = tenants.find(named).orElseThrow(() -> attributes.forbidden("tenant " + named
                    + " (label " + TenancyApi.TENANT_LABEL + ") does not exist"));
            if (!admin && !TenantSubjects.isOwner(tenant, attributes.user())) {
                throw attributes.forbidden("only owners of tenant " + named + " and platform admins may create its "
                        + "namespaces");
            }
            return Optional.of(tenant);
        }
        if (admin) {
            return Optional.empty();
        }
        List<ObjectNode> owned = tenants.ownedBy(attributes.user());
        if (owned.size() > 1) {
            throw attributes.forbidden("you own several tenants (" + String.join(", ", owned.stream()
                    .map(t -> t.path("metadata").path("name").asText()).toList()) + "); set the label "
                    + TenancyApi.TENANT_LABEL + " to the one this namespace belongs to");
        }
        return owned.stream().findFirst();
    }

    private static void label(AdmissionAttributes attributes, ObjectNode tenant) {
        ObjectNode metadata = attributes.object().with("metadata");
        ObjectNode labels = metadata.with("labels");
        TenantNamespaceDefaults.namespaceLabels(tenant).forEach(labels::put);
    }

    /** Adds the namespace to the Tenant's status.namespaces, refusing it beyond spec.namespaceQuota. */
    private void charge(AdmissionAttributes attributes, String tenantName) {
        for (int attempt = 0; attempt < CHARGE_ATTEMPTS; attempt++) {
            ObjectNode tenant = tenants.find(tenantName).orElseThrow(() -> attributes.forbidden("tenant " + tenantName
                    + " does not exist"));
            TreeSet<String> used = namespacesOf(tenant, tenantName);
            JsonNode quota = tenant.path("spec").path("namespaceQuota");
            if (quota.isNumber() && used.size() >= quota.asInt() && !used.contains(attributes.name())) {
                throw attributes.forbidden("tenant " + tenantName + " has reached its namespace quota (" + used.size()
                        + " of " + quota.asInt() + " namespaces used: " + String.join(", ", used) + ")");
            }
            used.add(attributes.name());
            ObjectNode status = tenant.with("status");
            ArrayNode list = status.putArray("namespaces");
            used.forEach(list::add);
            status.put("size", used.size());
            try {
                tenants.update(tenant);
                return;
            } catch (ApiError e) {
                if (!e.isObjectModified()) {
                    throw e;
                }
            }
        }
        throw ApiError.conflict(TenancyApi.GROUP, TenancyApi.TENANTS, tenantName,
                "too many concurrent namespace creations; please retry");
    }

    /** The tenant's namespaces as charged in its status and as labelled in the cache, together. */
    private TreeSet<String> namespacesOf(ObjectNode tenant, String tenantName) {
        TreeSet<String> used = new TreeSet<>();
        tenant.path("status").path("namespaces").forEach(n -> used.add(n.asText()));
        for (StoredObject stored : store.cachedWithOwnWrites(namespaces, null).items()) {
            ObjectNode namespace = ResourceStore.decode(stored);
            if (tenantName.equals(labels(namespace).path(TenancyApi.TENANT_LABEL).asText(""))) {
                used.add(namespace.path("metadata").path("name").asText());
            }
        }
        return used;
    }

    private void guardLabels(AdmissionAttributes attributes) {
        JsonNode before = labels(attributes.oldObject());
        JsonNode after = labels(attributes.object());
        String oldTenant = before.path(TenancyApi.TENANT_LABEL).asText("");
        boolean tenantChanged = !oldTenant.equals(after.path(TenancyApi.TENANT_LABEL).asText(""));
        boolean levelChanged = !oldTenant.isEmpty() && !before.path(TenancyApi.POD_SECURITY_ENFORCE).asText("")
                .equals(after.path(TenancyApi.POD_SECURITY_ENFORCE).asText(""));
        boolean defaultsChanged = !annotations(attributes.oldObject()).path(TenancyApi.DEFAULTS_ANNOTATION).asText("")
                .equals(annotations(attributes.object()).path(TenancyApi.DEFAULTS_ANNOTATION).asText(""));
        String changed = tenantChanged ? "the label " + TenancyApi.TENANT_LABEL
                : levelChanged ? "the label " + TenancyApi.POD_SECURITY_ENFORCE
                : defaultsChanged ? "the annotation " + TenancyApi.DEFAULTS_ANNOTATION : null;
        if (changed != null && !tenants.isPlatformAdmin(attributes.user())) {
            throw attributes.forbidden(changed + " of a namespace can only be changed by platform admins");
        }
    }

    /** Holds a pod for a namespace the reconciler has not finished yet; refuses it if that takes too long. */
    private void awaitDefaults(AdmissionAttributes attributes) {
        long deadline = System.nanoTime() + DEFAULTS_WAIT.toNanos();
        while (true) {
            Optional<ObjectNode> namespace = store.getPreferCached(namespaces, null, attributes.namespace());
            if (namespace.isEmpty() || !ready(namespace.get())) {
                if (namespace.isEmpty() || System.nanoTime() > deadline) {
                    if (namespace.isEmpty()) {
                        return;
                    }
                    throw attributes.forbidden("namespace " + attributes.namespace() + " of tenant "
                            + labels(namespace.get()).path(TenancyApi.TENANT_LABEL).asText() + " does not have its "
                            + "tenant defaults (quota, limit range, network policy, role bindings) yet; retry shortly");
                }
                sleep();
                continue;
            }
            return;
        }
    }

    /** Whether the namespace has its tenant's defaults; a label naming no Tenant has none to wait for. */
    private boolean ready(ObjectNode namespace) {
        String tenant = labels(namespace).path(TenancyApi.TENANT_LABEL).asText("");
        if (tenant.isEmpty() || tenant.equals(namespace.path("metadata").path("annotations")
                .path(TenancyApi.DEFAULTS_ANNOTATION).asText(""))) {
            return true;
        }
        return tenants.find(tenant).isEmpty();
    }

    private static JsonNode labels(JsonNode object) {
        return object == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : object.path("metadata").path("labels");
    }

    private static JsonNode annotations(JsonNode object) {
        return object == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : object.path("metadata").path("annotations");
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.serviceUnavailable("interrupted while waiting for the namespace's tenant defaults");
        }
    }
}
