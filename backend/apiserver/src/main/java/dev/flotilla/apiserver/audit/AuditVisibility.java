package dev.flotilla.apiserver.audit;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.rbac.AccessRequest;
import dev.flotilla.api.rbac.RbacAuthorizer;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which audit events a caller may read. Someone RBAC lets {@code get} every namespace (a
 * cluster-wide grant, as platform admins and {@code system:masters} have) sees every event, also
 * those of cluster-scoped and non-resource requests. Anyone else sees the events of the namespaces
 * they may {@code get} by RBAC and of the namespaces whose {@code tenancy.flotilla.dev/tenant} label
 * names one of their groups, and nothing else.
 */
@Singleton
public class AuditVisibility {

    private final RbacAuthorizer rbac;
    private final NamespaceTenants tenants;

    public AuditVisibility(RbacAuthorizer rbac, NamespaceTenants tenants) {
        this.rbac = rbac;
        this.tenants = tenants;
    }

    /** The namespaces whose events the caller sees; null when the caller sees every event. */
    public Set<String> visibleNamespaces(UserInfo user) {
        if (rbac.allows(AccessRequest.resource(user, "get", "", "namespaces", "", "", ""))) {
            return null;
        }
        Set<String> visible = new HashSet<>();
        for (Map.Entry<String, String> namespace : tenants.all().entrySet()) {
            String name = namespace.getKey();
            String tenant = namespace.getValue();
            if ((!tenant.isEmpty() && user.groups().contains(tenant))
                    || rbac.allows(AccessRequest.resource(user, "get", "", "namespaces", "", name, name))) {
                visible.add(name);
            }
        }
        return visible;
    }
}
