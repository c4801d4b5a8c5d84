package dev.flotilla.api.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.util.Optional;

/**
 * A Tenant's aggregate quota, the {@code TenantResourceQuota} named after it: {@code spec.hard} is the
 * Tenant's {@code spec.resourceQuota.hard}; {@code status.hard} and {@code status.used} are kept as a
 * ResourceQuota's are (the quota controller recounts over all the tenant's namespaces, ResourceQuota
 * admission charges new objects), so one usage covers every namespace of the tenant.
 */
public final class TenantResourceQuotas {

    private TenantResourceQuotas() {
    }

    /** The quota the Tenant asks for, or empty when it sets no {@code spec.resourceQuota.hard}. */
    public static Optional<ObjectNode> of(JsonNode tenant) {
        JsonNode hard = tenant.path("spec").path("resourceQuota").path("hard");
        if (!hard.isObject() || hard.isEmpty()) {
            return Optional.empty();
        }
        String name = tenant.path("metadata").path("name").asText();
        ObjectNode quota = Json.mapper().createObjectNode();
        quota.put("apiVersion", TenancyApi.API_VERSION);
        quota.put("kind", TenancyApi.QUOTA_KIND);
        ObjectNode metadata = quota.putObject("metadata");
        metadata.put("name", name);
        ObjectNode labels = metadata.putObject("labels");
        labels.put(TenancyApi.TENANT_LABEL, name);
        labels.put(TenancyApi.MANAGED_BY_LABEL, TenancyApi.MANAGED_BY);
        quota.putObject("spec").set("hard", hard.deepCopy());
        return Optional.of(quota);
    }

    /** Whether the quota controller has taken up the current {@code spec.hard}, so admission can charge it. */
    public static boolean counted(JsonNode quota) {
        JsonNode status = quota.path("status");
        return status.path("hard").equals(quota.path("spec").path("hard")) && status.path("used").isObject();
    }
}
