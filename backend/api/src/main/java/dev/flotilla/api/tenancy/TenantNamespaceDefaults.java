package dev.flotilla.api.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects every namespace of a tenant carries, derived from the Tenant alone (so the reconciler
 * can compare them with what exists and rewrite what drifted): a ResourceQuota from
 * {@code spec.resourceQuota.perNamespace} when the tenant asks for one, a LimitRange from
 * {@code spec.limitRange}, the NetworkPolicy
 * that admits ingress only from the tenant's own namespaces and kube-system, and one RoleBinding per
 * tenant role that has subjects. The tenant's {@code spec.resourceQuota.hard} is not divided among
 * its namespaces: it is one aggregate quota over all of them ({@link TenantResourceQuotas}).
 */
public final class TenantNamespaceDefaults {

    /** The ResourceQuota of each namespace, only when the tenant asks for per-namespace limits. */
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
        JsonNode perNamespace = spec.path("resourceQuota").path("perNamespace").path("hard");
        if (perNamespace.isObject() && !perNamespace.isEmpty()) {
            ObjectNode quota = object("v1", "ResourceQuota", QUOTA, namespace, name);
            quota.putObject("spec").set("hard", perNamespace.deepCopy());
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
