package dev.flotilla.api.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects every namespace of a tenant carries, derived from the Tenant alone (so the reconciler
 * can compare them with what exists and rewrite what drifted): a ResourceQuota with the namespace's
 * share of {@code spec.resourceQuota.hard}, a LimitRange from {@code spec.limitRange}, the NetworkPolicy
 * that admits ingress only from the tenant's own namespaces and kube-system, and one RoleBinding per
 * tenant role that has subjects.
 */
public final class TenantNamespaceDefaults {

    public static final String QUOTA = "tenant-quota";
    public static final String LIMITS = "tenant-limits";
    public static final String NETWORK_POLICY = "tenant-isolation";
    /** RoleBinding names per tenant role ({@code tenant-admin}, {@code tenant-developer}, {@code tenant-viewer}). */
    public static final Map<String, String> ROLE_BINDING_OF = Map.of(TenancyApi.ROLE_TENANT_ADMIN, "tenant-admin",
            TenancyApi.ROLE_DEVELOPER, "tenant-developer", TenancyApi.ROLE_VIEWER, "tenant-viewer");

    /** One desired object: what kind it is and its full body. */
    public record Desired(String apiVersion, String kind, String name, ObjectNode body) {
    }

    private TenantNamespaceDefaults() {
    }

    public static List<Desired> of(JsonNode tenant, String namespace) {
        String name = tenant.path("metadata").path("name").asText();
        JsonNode spec = tenant.path("spec");
        List<Desired> desired = new ArrayList<>();
        JsonNode hard = spec.path("resourceQuota").path("hard");
        if (hard.isObject() && !hard.isEmpty()) {
            ObjectNode quota = object("v1", "ResourceQuota", QUOTA, namespace, name);
            quota.putObject("spec").set("hard", share(hard, spec.path("namespaceQuota")));
            desired.add(new Desired("v1", "ResourceQuota", QUOTA, quota));
        }
        JsonNode limits = spec.path("limitRange");
        if (limits.isObject() && !limits.isEmpty()) {
            ObjectNode range = object("v1", "LimitRange", LIMITS, namespace, name);
            ObjectNode item = range.putObject("spec").putArray("limits").addObject();
            item.put("type", "Container");
            for (String field : List.of("default", "defaultRequest", "max", "min")) {
                if (limits.path(field).isObject()) {
                    item.set(field, limits.path(field).deepCopy());
                }
            }
            desired.add(new Desired("v1", "LimitRange", LIMITS, range));
        }
        if (spec.path("networkPolicy").path("enabled").asBoolean(true)) {
            desired.add(new Desired("networking.k8s.io/v1", "NetworkPolicy", NETWORK_POLICY,
                    isolation(namespace, name)));
        }
        Map<String, ArrayNode> subjectsByRole = new LinkedHashMap<>();
        for (TenantSubjects.Subject subject : TenantSubjects.all(tenant)) {
            ObjectNode entry = subjectsByRole.computeIfAbsent(subject.role(), r -> Json.mapper().createArrayNode())
                    .addObject();
            entry.put("kind", subject.kind());
            entry.put("apiGroup", "rbac.authorization.k8s.io");
            entry.put("name", subject.name());
        }
        for (String role : TenancyApi.ROLES) {
            ArrayNode subjects = subjectsByRole.get(role);
            if (subjects == null) {
                continue;
            }
            String bindingName = ROLE_BINDING_OF.get(role);
            ObjectNode binding = object("rbac.authorization.k8s.io/v1", "RoleBinding", bindingName, namespace, name);
            ObjectNode roleRef = binding.putObject("roleRef");
            roleRef.put("apiGroup", "rbac.authorization.k8s.io");
            roleRef.put("kind", "ClusterRole");
            roleRef.put("name", TenancyApi.CLUSTER_ROLE_OF.get(role));
            binding.set("subjects", subjects);
            desired.add(new Desired("rbac.authorization.k8s.io/v1", "RoleBinding", bindingName, binding));
        }
        return desired;
    }

    /** The labels a tenant namespace must carry. */
    public static Map<String, String> namespaceLabels(JsonNode tenant) {
        return Map.of(TenancyApi.TENANT_LABEL, tenant.path("metadata").path("name").asText(),
                TenancyApi.POD_SECURITY_ENFORCE, podSecurity(tenant));
    }

    public static String podSecurity(JsonNode tenant) {
        return tenant.path("spec").path("podSecurity").path("level").asText(TenancyApi.DEFAULT_POD_SECURITY);
    }

    /**
     * Each namespace's share of the tenant-wide hard limits: divided by namespaceQuota when there is
     * one, so the namespaces together can never use more than the tenant has; the whole amount
     * otherwise (then only per namespace, see docs/tenancy.md).
     */
    static ObjectNode share(JsonNode hard, JsonNode namespaceQuota) {
        ObjectNode shares = Json.mapper().createObjectNode();
        long parts = namespaceQuota.isNumber() && namespaceQuota.asLong() > 0 ? namespaceQuota.asLong() : 1;
        Iterator<Map.Entry<String, JsonNode>> fields = hard.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String text = field.getValue().asText();
            if (parts == 1) {
                shares.put(field.getKey(), text);
                continue;
            }
            BigDecimal amount = new Quantity(text).getNumericalAmount();
            // Only CPU is divided into millicores; memory, storage and object counts stay whole.
            BigDecimal part = amount.divide(BigDecimal.valueOf(parts), field.getKey().contains("cpu") ? 3 : 0,
                    RoundingMode.FLOOR);
            shares.put(field.getKey(), format(part));
        }
        return shares;
    }

    private static String format(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            return stripped.toBigInteger().toString();
        }
        return value.movePointRight(3).setScale(0, RoundingMode.FLOOR).toBigInteger() + "m";
    }

    private static ObjectNode isolation(String namespace, String tenant) {
        ObjectNode policy = object("networking.k8s.io/v1", "NetworkPolicy", NETWORK_POLICY, namespace, tenant);
        ObjectNode spec = policy.putObject("spec");
        spec.putObject("podSelector");
        spec.putArray("policyTypes").add("Ingress");
        ArrayNode from = spec.putArray("ingress").addObject().putArray("from");
        from.addObject().putObject("namespaceSelector").putObject("matchLabels").put(TenancyApi.TENANT_LABEL, tenant);
        from.addObject().putObject("namespaceSelector").putObject("matchLabels")
                .put("kubernetes.io/metadata.name", "kube-system");
        return policy;
    }

    private static ObjectNode object(String apiVersion, String kind, String name, String namespace, String tenant) {
        ObjectNode object = Json.mapper().createObjectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        ObjectNode labels = metadata.putObject("labels");
        labels.put(TenancyApi.TENANT_LABEL, tenant);
        labels.put(TenancyApi.MANAGED_BY_LABEL, TenancyApi.MANAGED_BY);
        return object;
    }
}
