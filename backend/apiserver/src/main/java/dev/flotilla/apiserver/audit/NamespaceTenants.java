package dev.flotilla.apiserver.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.resource.ResourceStore;
import dev.flotilla.storage.StoredObject;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each namespace's tenant: the value of its {@code tenancy.flotilla.dev/tenant} label (empty when it
 * has none).
 */
@Singleton
public class NamespaceTenants {

    public static final String TENANT_LABEL = dev.flotilla.api.tenancy.TenancyApi.TENANT_LABEL;

    private final ResourceStore store;
    private final ResourceType namespaces;

    public NamespaceTenants(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.namespaces = registry.find("", "v1", "namespaces").orElseThrow();
    }

    /** Every namespace with its tenant ("" for none), as the cache has them now. */
    public Map<String, String> all() {
        Map<String, String> tenants = new LinkedHashMap<>();
        for (StoredObject stored : store.cachedAny(namespaces, "").items()) {
            ObjectNode namespace = ResourceStore.decode(stored);
            tenants.put(namespace.path("metadata").path("name").asText(), tenantOf(namespace));
        }
        return tenants;
    }

    /** The namespace's tenant, "" when it has none or does not exist. */
    public String tenantOf(String namespace) {
        return store.get(namespaces, "", namespace).map(NamespaceTenants::tenantOf).orElse("");
    }

    private static String tenantOf(ObjectNode namespace) {
        return namespace.path("metadata").path("labels").path(TENANT_LABEL).asText("");
    }
}
