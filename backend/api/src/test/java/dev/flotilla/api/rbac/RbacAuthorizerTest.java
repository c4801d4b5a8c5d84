package dev.flotilla.api.rbac;

import static dev.flotilla.api.rbac.Policies.binding;
import static dev.flotilla.api.rbac.Policies.clusterBinding;
import static dev.flotilla.api.rbac.Policies.clusterRole;
import static dev.flotilla.api.rbac.Policies.group;
import static dev.flotilla.api.rbac.Policies.role;
import static dev.flotilla.api.rbac.Policies.rule;
import static dev.flotilla.api.rbac.Policies.serviceAccount;
import static dev.flotilla.api.rbac.Policies.urls;
import static dev.flotilla.api.rbac.Policies.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbacAuthorizerTest {

    private static final UserInfo ALICE = new UserInfo("alice", List.of("devs", UserInfo.AUTHENTICATED_GROUP));

    private final PolicyIndex index = new PolicyIndex();
    private final RbacAuthorizer authorizer = new RbacAuthorizer(index);

    private boolean can(UserInfo user, String verb, String group, String resource, String sub, String ns, String name) {
        return authorizer.allows(AccessRequest.resource(user, verb, group, resource, sub, ns, name));
    }

    @Test
    void nothingIsAllowedWithoutBindingsButMastersMayDoAnything() {
        assertThat(can(ALICE, "get", "", "pods", "", "default", "web")).isFalse();
        UserInfo admin = new UserInfo("admin", List.of("system:masters"));
        assertThat(can(admin, "delete", "apps", "deployments", "", "x", "y")).isTrue();
        assertThat(authorizer.allows(AccessRequest.nonResource(admin, "get", "/anything"))).isTrue();
    }

    @Test
    void aRoleBindingGrantsInItsNamespaceOnly() {
        index.putClusterRole(clusterRole("view", rule(List.of("get", "list", "watch"), List.of(""), List.of("pods"))));
        index.putRoleBinding(binding("team-a", "alice-view", "ClusterRole", "view", user("alice")));
        assertThat(can(ALICE, "list", "", "pods", "", "team-a", "")).isTrue();
        assertThat(can(ALICE, "list", "", "pods", "", "team-b", "")).isFalse();
        assertThat(can(ALICE, "list", "", "pods", "", "", "")).isFalse();
        assertThat(can(ALICE, "delete", "", "pods", "", "team-a", "web")).isFalse();
        Decision decision = authorizer.authorize(AccessRequest.resource(ALICE, "get", "", "pods", "", "team-a", "p"));
        assertThat(decision.reason())
                .isEqualTo("RBAC: allowed by RoleBinding \"alice-view/team-a\" of ClusterRole \"view\" to User \"alice\"");

        index.removeRoleBinding("team-a", "alice-view");
        assertThat(can(ALICE, "list", "", "pods", "", "team-a", "")).isFalse();
    }

    @Test
    void clusterRoleBindingsGroupsAndServiceAccounts() {
        index.putClusterRole(clusterRole("reader", rule(List.of("get"), List.of("apps"), List.of("deployments"))));
        index.putClusterRoleBinding(clusterBinding("devs-read", "reader", group("devs")));
        assertThat(can(ALICE, "get", "apps", "deployments", "", "any", "d")).isTrue();
        assertThat(can(ALICE, "get", "", "deployments", "", "any", "d")).isFalse();

        UserInfo sa = new UserInfo("system:serviceaccount:ci:deployer", List.of("system:serviceaccounts"));
        index.putRole(role("ci", "deployer", rule(List.of("*"), List.of("apps"), List.of("*"))));
        index.putRoleBinding(binding("ci", "deployer", "Role", "deployer", serviceAccount("", "deployer")));
        assertThat(can(sa, "patch", "apps", "deployments", "scale", "ci", "web")).isTrue();
        assertThat(can(sa, "patch", "apps", "deployments", "", "other", "web")).isFalse();
    }

    @Test
    void resourceNamesAndSubresources() {
        index.putClusterRole(clusterRole("one-pod", rule(List.of("get"), List.of(""), List.of("pods"), "web"),
                rule(List.of("get"), List.of(""), List.of("*/log"))));
        index.putClusterRoleBinding(clusterBinding("alice", "one-pod", user("alice")));
        assertThat(can(ALICE, "get", "", "pods", "", "default", "web")).isTrue();
        assertThat(can(ALICE, "get", "", "pods", "", "default", "db")).isFalse();
        assertThat(can(ALICE, "list", "", "pods", "", "default", "")).isFalse();
        assertThat(can(ALICE, "get", "", "pods", "log", "default", "db")).isTrue();
        assertThat(can(ALICE, "get", "", "pods", "status", "default", "web")).isFalse();
    }

    @Test
    void nonResourceUrlsWithTrailingStar() {
        index.putClusterRole(clusterRole("probe", urls(List.of("get"), "/healthz", "/metrics/*")));
        index.putClusterRoleBinding(clusterBinding("probe", "probe", group(UserInfo.AUTHENTICATED_GROUP)));
        assertThat(authorizer.allows(AccessRequest.nonResource(ALICE, "get", "/healthz"))).isTrue();
        assertThat(authorizer.allows(AccessRequest.nonResource(ALICE, "get", "/healthz/etcd"))).isFalse();
        assertThat(authorizer.allows(AccessRequest.nonResource(ALICE, "get", "/metrics/slis"))).isTrue();
        assertThat(authorizer.allows(AccessRequest.nonResource(ALICE, "post", "/healthz"))).isFalse();
    }

    @Test
    void bindingsToMissingRolesGrantNothingUntilTheRoleAppears() {
        index.putRoleBinding(binding("ns", "b", "Role", "later", user("alice")));
        assertThat(can(ALICE, "get", "", "configmaps", "", "ns", "c")).isFalse();
        index.putRole(role("ns", "later", rule(List.of("get"), List.of(""), List.of("configmaps"))));
        assertThat(can(ALICE, "get", "", "configmaps", "", "ns", "c")).isTrue();
    }

    @Test
    void aReloadKeepsWhatIsStillThereAndForgetsTheRest() {
        index.putClusterRole(clusterRole("view", rule(List.of("get"), List.of(""), List.of("pods"))));
        index.putRoleBinding(binding("a", "keep", "ClusterRole", "view", user("alice")));
        index.putRoleBinding(binding("b", "gone", "ClusterRole", "view", user("alice")));
        index.retainOnly("RoleBinding", java.util.Set.of("a/keep"));
        index.retainOnly("ClusterRole", java.util.Set.of("/view"));
        assertThat(can(ALICE, "get", "", "pods", "", "a", "p")).isTrue();
        assertThat(can(ALICE, "get", "", "pods", "", "b", "p")).isFalse();
        index.retainOnly("ClusterRole", java.util.Set.of());
        assertThat(can(ALICE, "get", "", "pods", "", "a", "p")).isFalse();
    }

    @Test
    void rulesForListsClusterAndNamespaceRules() {
        index.putClusterRole(clusterRole("a", rule(List.of("get"), List.of(""), List.of("nodes"))));
        index.putClusterRole(clusterRole("b", rule(List.of("list"), List.of(""), List.of("pods"))));
        index.putClusterRoleBinding(clusterBinding("a", "a", user("alice")));
        index.putRoleBinding(binding("ns", "b", "ClusterRole", "b", group("devs")));
        assertThat(authorizer.rulesFor(ALICE, "ns")).hasSize(2);
        assertThat(authorizer.rulesFor(ALICE, "other")).hasSize(1);
    }

    @Test
    void aggregationCollectsLabelledRolesInNameOrder() {
        var view = new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder(
                clusterRole("b-view", rule(List.of("get"), List.of(""), List.of("pods"))))
                .editMetadata().addToLabels("agg", "true").endMetadata().build();
        var other = new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder(
                clusterRole("a-other", rule(List.of("list"), List.of(""), List.of("pods"))))
                .editMetadata().addToLabels("agg", "true").endMetadata().build();
        var target = new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder(clusterRole("target"))
                .withNewAggregationRule().addNewClusterRoleSelector().addToMatchLabels("agg", "true")
                .endClusterRoleSelector().endAggregationRule().build();
        assertThat(ClusterRoleAggregation.rulesFor(target, List.of(view, other, target)))
                .containsExactly(other.getRules().get(0), view.getRules().get(0));
        assertThat(ClusterRoleAggregation.rulesFor(view, List.of(view))).isNull();
    }
}
