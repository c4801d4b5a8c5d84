package dev.flotilla.apiserver.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.rbac.AccessRequest;
import dev.flotilla.api.rbac.RbacAuthorizer;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.api.tenancy.TenantSubjects;
import dev.flotilla.apiserver.resource.ResourceStore;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * The Tenants as admission reads them (from PostgreSQL through {@link ResourceStore}), and who is a
 * platform admin: whoever RBAC lets update every Tenant (cluster-admin, {@code system:masters}).
 */
@Singleton
public class Tenants {

    private final ResourceStore store;
    private final RbacAuthorizer rbac;
    private final ResourceType tenants;

    public Tenants(ResourceStore store, RbacAuthorizer rbac, ResourceRegistry registry) {
        this.store = store;
        this.rbac = rbac;
        this.tenants = registry.find(TenancyApi.GROUP, TenancyApi.VERSION, TenancyApi.TENANTS).orElseThrow();
    }

    public ResourceType type() {
        return tenants;
    }

    public Optional<ObjectNode> find(String name) {
        return store.get(tenants, null, name);
    }

    /** The Tenants {@code user} owns (directly or through a group), in name order. */
    public List<ObjectNode> ownedBy(UserInfo user) {
        return store.list(tenants, null, 0, 0, null).items().stream().map(ResourceStore::decode)
                .filter(tenant -> TenantSubjects.isOwner(tenant, user)).toList();
    }

    public boolean isPlatformAdmin(UserInfo user) {
        return rbac.allows(AccessRequest.resource(user, "update", TenancyApi.GROUP, TenancyApi.TENANTS, "", "", ""));
    }

    /** Compare-and-swap of a Tenant (its status); a lost race is a 409 the caller retries. */
    public ObjectNode update(ObjectNode tenant) {
        String name = tenant.path("metadata").path("name").asText();
        long revision = Long.parseLong(tenant.path("metadata").path("resourceVersion").asText());
        return store.update(tenants, null, name, tenant, revision);
    }
}
