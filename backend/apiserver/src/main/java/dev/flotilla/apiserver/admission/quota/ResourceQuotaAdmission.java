package dev.flotilla.apiserver.admission.quota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.apiserver.admission.AdmissionAttributes;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import dev.flotilla.apiserver.admission.AdmissionPlugin;
import dev.flotilla.apiserver.resource.ResourceStore;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Upstream's ResourceQuota admission on create, extended to tenants: every quota of the namespace,
 * and the aggregate TenantResourceQuota of the namespace's tenant (one usage over all its
 * namespaces, docs/tenancy.md), that counts the new object is checked ({@link QuotaCheck}) and,
 * before the object is stored, charged by writing the new {@code status.used} with a compare-and-swap
 * on that record. A lost swap (another API server charged meanwhile) re-reads the record and checks
 * again, so concurrent creates never pass hard. Requests of one namespace (of one tenant, when it has
 * an aggregate quota) are charged one at a time here, as upstream's per-namespace queue does, so they
 * do not lose swaps to each other. When a record refuses after others were charged, or the create
 * fails later (a later plugin refuses, the store refuses the write), the charges are given back if
 * nothing has written those records since; what is left over otherwise, the quota controller gives
 * back when it recomputes usage.
 */
@Singleton
public class ResourceQuotaAdmission implements AdmissionPlugin {

    private static final int ATTEMPTS = 20;
    private static final int LOCK_STRIPES = 64;

    private final ResourceStore store;
    private final ResourceType quotas;
    private final ResourceType tenantQuotas;
    private final ResourceType namespaces;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    public ResourceQuotaAdmission(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.quotas = registry.find("", "v1", "resourcequotas").orElseThrow();
        this.tenantQuotas = registry.find(TenancyApi.GROUP, TenancyApi.VERSION, TenancyApi.QUOTAS).orElseThrow();
        this.namespaces = registry.find("", "v1", "namespaces").orElseThrow();
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Override
    public String name() {
        return "ResourceQuota";
    }

    @Override
    public void validate(AdmissionAttributes attributes) {
        if (attributes.operation() != AdmissionOperation.CREATE || attributes.subresource() != null
                || !attributes.type().namespaced() || attributes.namespace() == null) {
            return;
        }
        String namespace = attributes.namespace();
        String tenant = tenantOf(namespace);
        List<QuotaRecord> cached = cachedRecords(namespace, tenant);
        if (cached.isEmpty()) {
            // Most namespaces have no quota: no typed copy of the object, no lock.
            return;
        }
        Object typed = typed(attributes.type(), attributes.object());
        ReentrantLock lock = lockOf(namespace, tenant);
        lock.lock();
        try {
            Map<String, QuotaRecord> charged = chargeAll(attributes, typed, cached, tenant);
            if (!charged.isEmpty()) {
                attributes.onFailure(() -> releaseUnderLock(lock, charged.values(), attributes, typed));
            }
        } catch (QuotaCheck.Refusal refusal) {
            throw attributes.forbidden(refusal.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Charges every record that counts the object; on a refusal gives back what it charged first. */
    private Map<String, QuotaRecord> chargeAll(AdmissionAttributes attributes, Object typed, List<QuotaRecord> cached,
            String tenant) {
        Map<String, QuotaRecord> charged = new LinkedHashMap<>();
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                boolean lostRace = false;
                // The cache first, as upstream's quota lister; after a lost race the records as etcd has them.
                List<QuotaRecord> records = attempt == 0 ? cached : storedRecords(attributes.namespace(), tenant);
                for (QuotaRecord record : records) {
                    if (charged.containsKey(record.key())) {
                        continue;
                    }
                    Optional<Map<String, Quantity>> used = QuotaCheck.charge(record.quota(),
                            attributes.type().group(), attributes.type().resource(), typed);
                    if (used.isEmpty() || attributes.dryRun()) {
                        continue;
                    }
                    Optional<QuotaRecord> written = write(record, used.get());
                    if (written.isPresent()) {
                        charged.put(record.key(), written.get());
                    } else {
                        lostRace = true;
                    }
                }
                if (!lostRace) {
                    return charged;
                }
            }
            throw new QuotaCheck.Refusal("resource quota evaluation timed out");
        } catch (RuntimeException e) {
            release(charged.values(), attributes, typed);
            throw e;
        }
    }

    private void releaseUnderLock(ReentrantLock lock, Iterable<QuotaRecord> charged, AdmissionAttributes attributes,
            Object typed) {
        lock.lock();
        try {
            release(charged, attributes, typed);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives the object's charge back to each record, by a compare-and-swap on the revision the charge
     * wrote: only while nothing else has written the record since. Another write may be the quota
     * controller's recount, which already left the never-stored object out; subtracting again would
     * count less than is used. So when the record moved on, the charge stays until the next recount
     * (over-counted for a while, never under).
     */
    private void release(Iterable<QuotaRecord> charged, AdmissionAttributes attributes, Object typed) {
        for (QuotaRecord record : charged) {
            Optional<Map<String, Quantity>> used = QuotaCheck.release(record.quota(), attributes.type().group(),
                    attributes.type().resource(), typed);
            if (used.isPresent()) {
                write(record, used.get());
            }
        }
    }

    /**
     * Compare-and-swap of the record's {@code status.used}: the record as written, empty when another
     * write came first.
     */
    private Optional<QuotaRecord> write(QuotaRecord record, Map<String, Quantity> used) {
        ObjectNode object = record.object().deepCopy();
        object.with("status").set("used", Json.mapper().valueToTree(used));
        try {
            ObjectNode written = store.update(record.type(), record.namespace(), record.name(), object,
                    record.revision());
            return Optional.of(new QuotaRecord(record.type(), record.namespace(), record.displayName(), written));
        } catch (ApiError e) {
            if (e.isObjectModified()) {
                return Optional.empty();
            }
            if (e.code() == 404) {
                return Optional.of(record);
            }
            throw e;
        }
    }

    /**
     * The namespace's quotas and its tenant's aggregate quota as the watch cache shows them,
     * including every write made through this server: a stale one loses its compare-and-swap and is
     * read again from etcd, so charges stay exact. A quota created through another API server a moment
     * ago may not show yet, as with upstream's lister; the quota controller's recount then includes
     * the object.
     */
    private List<QuotaRecord> cachedRecords(String namespace, String tenant) {
        List<QuotaRecord> records = new ArrayList<>(namespaceRecords(namespace,
                store.cachedWithOwnWrites(quotas, namespace).items().stream().map(ResourceStore::decode).toList()));
        if (tenant != null) {
            store.cachedOnlyWithOwnWrites(tenantQuotas, null, tenant).map(this::tenantRecord).ifPresent(records::add);
        }
        return records;
    }

    /** The same read from etcd: after a lost compare-and-swap the cache may still show the old record. */
    private List<QuotaRecord> storedRecords(String namespace, String tenant) {
        List<QuotaRecord> records = new ArrayList<>(namespaceRecords(namespace,
                store.list(quotas, namespace, 0, 0, null).items().stream().map(ResourceStore::decode).toList()));
        if (tenant != null) {
            store.get(tenantQuotas, null, tenant).map(this::tenantRecord).ifPresent(records::add);
        }
        return records;
    }

    private List<QuotaRecord> namespaceRecords(String namespace, List<ObjectNode> objects) {
        Function<ObjectNode, QuotaRecord> record = quota -> new QuotaRecord(quotas, namespace,
                quota.path("metadata").path("name").asText(), quota);
        return objects.stream().map(record).toList();
    }

    private QuotaRecord tenantRecord(ObjectNode quota) {
        return new QuotaRecord(tenantQuotas, null,
                TenancyApi.quotaDisplayName(quota.path("metadata").path("name").asText()), quota);
    }

    /** The tenant the namespace's label names, as the namespace cache has it; null outside tenancy. */
    private String tenantOf(String namespace) {
        String tenant = store.getPreferCached(namespaces, null, namespace)
                .map(ns -> ns.path("metadata").path("labels").path(TenancyApi.TENANT_LABEL).asText(""))
                .orElse("");
        return tenant.isEmpty() ? null : tenant;
    }

    /** One lock per tenant (its namespaces share one usage record), else per namespace. */
    private ReentrantLock lockOf(String namespace, String tenant) {
        String key = tenant != null ? TenancyApi.QUOTAS + "/" + tenant : namespace;
        return locks[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
    }

    private static Object typed(ResourceType type, ObjectNode object) {
        if (!type.group().isEmpty()) {
            return object;
        }
        return switch (type.resource()) {
            case "pods" -> Json.mapper().convertValue(object, Pod.class);
            case "services" -> Json.mapper().convertValue(object, Service.class);
            case "persistentvolumeclaims" -> Json.mapper().convertValue(object, PersistentVolumeClaim.class);
            default -> object;
        };
    }
}
