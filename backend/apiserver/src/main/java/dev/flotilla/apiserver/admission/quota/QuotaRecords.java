package dev.flotilla.apiserver.admission.quota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.apiserver.resource.ResourceStore;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the usage records a create is charged to: the ResourceQuotas of its namespace and the
 * TenantResourceQuota of the namespace's tenant, keyed by {@link QuotaRecord#key()}.
 */
@Singleton
class QuotaRecords {

    private final ResourceStore store;
    private final ResourceType quotas;
    private final ResourceType tenantQuotas;
    private final ResourceType namespaces;

    QuotaRecords(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.quotas = registry.find("", "v1", "resourcequotas").orElseThrow();
        this.tenantQuotas = registry.find(TenancyApi.GROUP, TenancyApi.VERSION, TenancyApi.QUOTAS).orElseThrow();
        this.namespaces = registry.find("", "v1", "namespaces").orElseThrow();
    }

    /**
     * The records as the watch cache shows them, including every write made through this server: a
     * stale one loses its compare-and-swap and is read again from etcd ({@link #stored}), so charges
     * stay exact. A quota created through another API server a moment ago may not show yet, as with
     * upstream's lister; the quota controller's recount then includes the object.
     */
    Map<String, QuotaRecord> cached(Collection<String> inNamespaces, String tenant) {
        Map<String, QuotaRecord> records = new LinkedHashMap<>();
        for (String namespace : inNamespaces) {
            store.cachedWithOwnWrites(quotas, namespace).items().stream().map(ResourceStore::decode)
                    .forEach(quota -> add(records, namespaceRecord(namespace, quota)));
        }
        if (tenant != null) {
            store.cachedOnlyWithOwnWrites(tenantQuotas, null, tenant)
                    .ifPresent(quota -> add(records, tenantRecord(quota)));
        }
        return records;
    }

    /** The same read from etcd: after a lost compare-and-swap the cache may still show the old record. */
    Map<String, QuotaRecord> stored(Collection<String> inNamespaces, String tenant) {
        Map<String, QuotaRecord> records = new LinkedHashMap<>();
        for (String namespace : inNamespaces) {
            store.list(quotas, namespace, 0, 0, null).items().stream().map(ResourceStore::decode)
                    .forEach(quota -> add(records, namespaceRecord(namespace, quota)));
        }
        if (tenant != null) {
            store.get(tenantQuotas, null, tenant).ifPresent(quota -> add(records, tenantRecord(quota)));
        }
        return records;
    }

    /** The tenant the namespace's label names, as the namespace cache has it; null outside tenancy. */
    String tenantOf(String namespace) {
        String tenant = store.getPreferCached(namespaces, null, namespace)
                .map(ns -> ns.path("metadata").path("labels").path(TenancyApi.TENANT_LABEL).asText(""))
                .orElse("");
        return tenant.isEmpty() ? null : tenant;
    }

    /** Whether the record applies to a create in {@code namespace}: its own quota, or its tenant's. */
    boolean appliesTo(QuotaRecord record, String namespace) {
        return record.type().equals(tenantQuotas) || namespace.equals(record.namespace());
    }

    private static void add(Map<String, QuotaRecord> records, QuotaRecord record) {
        records.put(record.key(), record);
    }

    private QuotaRecord namespaceRecord(String namespace, ObjectNode quota) {
        return new QuotaRecord(quotas, namespace, quota.path("metadata").path("name").asText(), quota);
    }

    private QuotaRecord tenantRecord(ObjectNode quota) {
        return new QuotaRecord(tenantQuotas, null,
                TenancyApi.quotaDisplayName(quota.path("metadata").path("name").asText()), quota);
    }
}
