package dev.flotilla.controllers.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.api.tenancy.TenantSubjects;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cluster-scoped RBAC of a tenant: its owners may create namespaces (admission then keeps them
 * within the tenant and its quota) and read their Tenant; its members may read the Tenant.
 */
final class TenantClusterRbac {

    private final KubernetesClient client;
    private final SharedIndexInformer<ClusterRole> roles;
    private final SharedIndexInformer<ClusterRoleBinding> bindings;

    /** Compares with the informers' copies; a lagging copy at worst rewrites a role with the same rules. */
    TenantClusterRbac(KubernetesClient client, SharedIndexInformer<ClusterRole> roles,
            SharedIndexInformer<ClusterRoleBinding> bindings) {
        this.client = client;
        this.roles = roles;
        this.bindings = bindings;
    }

    void sync(ObjectNode tenant) {
        String name = tenant.path("metadata").path("name").asText();
        List<TenantSubjects.Subject> owners = TenantSubjects.owners(tenant);
        List<TenantSubjects.Subject> members = TenantSubjects.all(tenant).subList(owners.size(),
                TenantSubjects.all(tenant).size());
        PolicyRule readTenant = new PolicyRuleBuilder().withApiGroups(TenancyApi.GROUP)
                .withResources(TenancyApi.TENANTS, TenancyApi.TENANTS + "/status", TenancyApi.QUOTAS,
                        TenancyApi.QUOTAS + "/status").withResourceNames(name)
                .withVerbs("get", "watch").build();
        PolicyRule createNamespaces = new PolicyRuleBuilder().withApiGroups("").withResources("namespaces")
                .withVerbs("create").build();
        bind(name, TenancyApi.ownerClusterRole(name), List.of(createNamespaces, readTenant), owners);
        bind(name, TenancyApi.memberClusterRole(name), List.of(readTenant), members);
    }

    void delete(String tenant) {
        for (String role : List.of(TenancyApi.ownerClusterRole(tenant), TenancyApi.memberClusterRole(tenant))) {
            ignoreMissing(() -> client.rbac().clusterRoleBindings().withName(role).delete());
            ignoreMissing(() -> client.rbac().clusterRoles().withName(role).delete());
        }
    }

    private void bind(String tenant, String name, List<PolicyRule> rules, List<TenantSubjects.Subject> subjects) {
        if (subjects.isEmpty()) {
            if (roles.getStore().getByKey(name) == null && bindings.getStore().getByKey(name) == null) {
                return;
            }
            ignoreMissing(() -> client.rbac().clusterRoleBindings().withName(name).delete());
            ignoreMissing(() -> client.rbac().clusterRoles().withName(name).delete());
            return;
        }
        Map<String, String> labels = Map.of(TenancyApi.TENANT_LABEL, tenant, TenancyApi.MANAGED_BY_LABEL,
                TenancyApi.MANAGED_BY);
        ClusterRole current = roles.getStore().getByKey(name);
        if (current == null || !Objects.equals(current.getRules(), rules)) {
            client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(name)
                    .withLabels(labels).endMetadata().withRules(rules).build()).serverSideApply();
        }
        List<Subject> wanted = new ArrayList<>();
        for (TenantSubjects.Subject subject : subjects) {
            wanted.add(new SubjectBuilder().withKind(subject.kind()).withApiGroup("rbac.authorization.k8s.io")
                    .withName(subject.name()).build());
        }
        ClusterRoleBinding binding = bindings.getStore().getByKey(name);
        if (binding == null || !Objects.equals(binding.getSubjects(), wanted)) {
            client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                    .withName(name).withLabels(labels).endMetadata().withNewRoleRef("rbac.authorization.k8s.io",
                            "ClusterRole", name).withSubjects(wanted).build()).serverSideApply();
        }
    }

    private static void ignoreMissing(Runnable delete) {
        try {
            delete.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
