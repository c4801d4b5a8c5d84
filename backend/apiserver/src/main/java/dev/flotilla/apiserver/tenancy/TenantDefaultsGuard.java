package dev.flotilla.apiserver.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import java.util.Optional;

/**
 * Keeps a tenant namespace's defaults (the quota, limit range, network policy and role bindings the
 * tenant reconciler writes, labelled {@code managed-by: tenant-reconciler}) out of tenant users'
 * hands: upstream's {@code admin} and {@code edit} roles may write NetworkPolicies and RoleBindings,
 * so without this an owner could delete the policy that isolates the namespace or add a subject to
 * the tenant's bindings. As Capsule does, only platform admins (the reconciler among them) may
 * change, delete or create such objects; the caller checks who asks.
 */
final class TenantDefaultsGuard {

    private TenantDefaultsGuard() {
    }

    /** Why a request that is not a platform admin's is refused; empty when it does not touch a tenant default. */
    static Optional<String> refusal(AdmissionOperation operation, JsonNode object, JsonNode oldObject) {
        if (operation != AdmissionOperation.CREATE && managed(oldObject)) {
            String tenant = oldObject.path("metadata").path("labels").path(TenancyApi.TENANT_LABEL).asText("");
            return Optional.of("it is one of " + (tenant.isEmpty() ? "a tenant" : "tenant " + tenant) + "'s defaults, "
                    + "which only platform admins may change");
        }
        if (operation != AdmissionOperation.DELETE && managed(object)) {
            return Optional.of("the label " + TenancyApi.MANAGED_BY_LABEL + " is set only by the tenant reconciler");
        }
        return Optional.empty();
    }

    private static boolean managed(JsonNode object) {
        return object != null && TenancyApi.MANAGED_BY.equals(object.path("metadata").path("labels")
                .path(TenancyApi.MANAGED_BY_LABEL).asText(""));
    }
}
