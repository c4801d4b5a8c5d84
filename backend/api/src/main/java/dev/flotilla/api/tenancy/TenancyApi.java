package dev.flotilla.api.tenancy;

import java.util.List;
import java.util.Map;

/**
 * Names of the tenancy API ({@code tenancy.flotilla.dev/v1}), shared by the API server that serves
 * Tenants (kept in PostgreSQL) and admits tenant namespaces, and the tenant reconciler that keeps
 * each tenant namespace's defaults in sync (docs/tenancy.md).
 */
public final class TenancyApi {

    public static final String GROUP = "tenancy.flotilla.dev";
    public static final String VERSION = "v1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "Tenant";
    public static final String TENANTS = "tenants";
    /**
     * The tenant-wide aggregate quota (one per Tenant with {@code spec.resourceQuota}, named after it,
     * kept in etcd): usage over all the tenant's namespaces, charged by ResourceQuota admission.
     */
    public static final String QUOTA_KIND = "TenantResourceQuota";
    public static final String QUOTAS = "tenantresourcequotas";
    /** The label naming a namespace's tenant; only platform admins may set, change or remove it. */
    public static final String TENANT_LABEL = GROUP + "/tenant";
    /**
     * Set by the tenant reconciler to the tenant's name once a namespace has that tenant's defaults;
     * pods wait for it, and only namespaces carrying it are deleted with their Tenant (a label set by
     * hand, naming no Tenant, never gets a namespace deleted).
     */
    public static final String DEFAULTS_ANNOTATION = GROUP + "/defaults-of";
    public static final String POD_SECURITY_ENFORCE = "pod-security.kubernetes.io/enforce";
    /** Label on every object the reconciler makes for a tenant, for finding (and pruning) them. */
    public static final String MANAGED_BY_LABEL = GROUP + "/managed-by";
    public static final String MANAGED_BY = "tenant-reconciler";

    public static final String ROLE_TENANT_ADMIN = "tenant-admin";
    public static final String ROLE_DEVELOPER = "developer";
    public static final String ROLE_VIEWER = "viewer";
    public static final List<String> ROLES = List.of(ROLE_TENANT_ADMIN, ROLE_DEVELOPER, ROLE_VIEWER);
    /** The ClusterRole each tenant role is bound to in every namespace of the tenant. */
    public static final Map<String, String> CLUSTER_ROLE_OF = Map.of(ROLE_TENANT_ADMIN, "admin",
            ROLE_DEVELOPER, "edit", ROLE_VIEWER, "view");

    public static final List<String> POD_SECURITY_LEVELS = List.of("privileged", "baseline", "restricted");
    public static final String DEFAULT_POD_SECURITY = "restricted";

    private TenancyApi() {
    }

    /** The ClusterRole (and its ClusterRoleBinding) through which a tenant's owners create namespaces and read the Tenant. */
    public static String ownerClusterRole(String tenant) {
        return GROUP + ":tenant:" + tenant + ":owners";
    }

    /** How quota messages name a tenant's aggregate quota: {@code exceeded quota: tenant-acme, ...}. */
    public static String quotaDisplayName(String tenant) {
        return "tenant-" + tenant;
    }

    /** The ClusterRole (and binding) through which a tenant's members read the Tenant. */
    public static String memberClusterRole(String tenant) {
        return GROUP + ":tenant:" + tenant + ":members";
    }
}
