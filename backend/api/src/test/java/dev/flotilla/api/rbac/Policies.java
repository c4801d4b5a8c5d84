package dev.flotilla.api.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.List;

/** Small builders for RBAC objects in tests. */
final class Policies {

    private Policies() {
    }

    static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources, String... names) {
        return new PolicyRuleBuilder().withVerbs(verbs).withApiGroups(groups).withResources(resources)
                .withResourceNames(names).build();
    }

    static PolicyRule urls(List<String> verbs, String... urls) {
        return new PolicyRuleBuilder().withVerbs(verbs).withNonResourceURLs(urls).build();
    }

    static ClusterRole clusterRole(String name, PolicyRule... rules) {
        return new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata().withRules(rules).build();
    }

    static Role role(String namespace, String name, PolicyRule... rules) {
        return new RoleBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withRules(rules).build();
    }

    static ClusterRoleBinding clusterBinding(String name, String role, Subject... subjects) {
        return new ClusterRoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef().withKind("ClusterRole").withName(role)
                .withApiGroup("rbac.authorization.k8s.io").endRoleRef().withSubjects(subjects).build();
    }

    static RoleBinding binding(String namespace, String name, String roleKind, String role, Subject... subjects) {
        return new RoleBindingBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewRoleRef().withKind(roleKind).withName(role)
                .withApiGroup("rbac.authorization.k8s.io").endRoleRef().withSubjects(subjects).build();
    }

    static Subject user(String name) {
        return new SubjectBuilder().withKind("User").withName(name).build();
    }

    static Subject group(String name) {
        return new SubjectBuilder().withKind("Group").withName(name).build();
    }

    static Subject serviceAccount(String namespace, String name) {
        return new SubjectBuilder().withKind("ServiceAccount").withNamespace(namespace).withName(name).build();
    }
}
