package dev.flotilla.api.rbac;

import static dev.flotilla.api.rbac.Policies.binding;
import static dev.flotilla.api.rbac.Policies.group;
import static dev.flotilla.api.rbac.Policies.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.auth.UserInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's RBAC decision target (≤ 50 µs p99 with 50,000 bindings), run by hand (not part of the
 * suite; its name does not end in Test): {@code mvn -pl backend/api test -Dtest=RbacDecisionBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}. 10,000 namespaces with 5 RoleBindings each (to the
 * bootstrap admin/edit/view roles, for users and tenant groups), plus the bootstrap
 * ClusterRoleBindings; requests are a mix of allowed and denied resource and non-resource requests.
 */
class RbacDecisionBenchmark {

    private static final int NAMESPACES = 10_000;
    private static final int DECISIONS = 2_000_000;

    @Test
    void measure() {
        PolicyIndex index = new PolicyIndex();
        BootstrapPolicy.clusterRoles().forEach(index::putClusterRole);
        BootstrapPolicy.clusterRoleBindings().forEach(index::putClusterRoleBinding);
        // edit and admin aggregate aggregated roles: two rounds converge.
        for (int round = 0; round < 2; round++) {
            for (var role : BootstrapPolicy.clusterRoles()) {
                List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules =
                        ClusterRoleAggregation.rulesFor(role, index.clusterRoles());
                if (rules != null) {
                    role.setRules(rules);
                    index.putClusterRole(role);
                }
            }
        }
        for (int n = 0; n < NAMESPACES; n++) {
            String ns = "tenant-" + (n / 10) + "-ns-" + n;
            index.putRoleBinding(binding(ns, "owner", "ClusterRole", "admin", user("owner-" + n)));
            index.putRoleBinding(binding(ns, "dev", "ClusterRole", "edit", user("dev-" + n)));
            index.putRoleBinding(binding(ns, "viewer", "ClusterRole", "view", user("viewer-" + n)));
            index.putRoleBinding(binding(ns, "tenant-devs", "ClusterRole", "edit", group("tenant-" + (n / 10) + "-devs")));
            index.putRoleBinding(binding(ns, "tenant-viewers", "ClusterRole", "view",
                    group("tenant-" + (n / 10) + "-viewers")));
        }
        assertThat(index.bindingCount()).isGreaterThanOrEqualTo(50_000);
        RbacAuthorizer authorizer = new RbacAuthorizer(index);

        Random random = new Random(42);
        AccessRequest[] requests = new AccessRequest[4096];
        for (int i = 0; i < requests.length; i++) {
            int n = random.nextInt(NAMESPACES);
            String ns = "tenant-" + (n / 10) + "-ns-" + n;
            UserInfo dev = new UserInfo("dev-" + n, List.of("tenant-" + (n / 10) + "-devs", "system:authenticated"));
            requests[i] = switch (i % 5) {
                case 0 -> AccessRequest.resource(dev, "list", "", "pods", "", ns, "");
                case 1 -> AccessRequest.resource(dev, "delete", "apps", "deployments", "", ns, "web");
                case 2 -> AccessRequest.resource(dev, "get", "", "secrets", "", "kube-system", "x"); // denied
                case 3 -> AccessRequest.resource(dev, "create", "rbac.authorization.k8s.io", "rolebindings", "", ns, "");
                default -> AccessRequest.nonResource(dev, "get", "/apis/apps/v1");
            };
        }
        long[] nanos = new long[DECISIONS];
        int allowed = 0;
        for (int i = 0; i < DECISIONS; i++) {
            AccessRequest request = requests[i & (requests.length - 1)];
            long start = System.nanoTime();
            boolean ok = authorizer.allows(request);
            nanos[i] = System.nanoTime() - start;
            allowed += ok ? 1 : 0;
        }
        // The first half warms the JIT; figures are from the second half.
        long[] measured = Arrays.copyOfRange(nanos, DECISIONS / 2, DECISIONS);
        Arrays.sort(measured);
        System.out.printf("RBAC decisions with %d bindings: p50 %.2f µs, p99 %.2f µs, p99.9 %.2f µs, max %.2f µs "
                        + "(%d allowed of %d)%n", index.bindingCount(), measured[measured.length / 2] / 1000.0,
                measured[(int) (measured.length * 0.99)] / 1000.0, measured[(int) (measured.length * 0.999)] / 1000.0,
                measured[measured.length - 1] / 1000.0, allowed, DECISIONS);
        assertThat(measured[(int) (measured.length * 0.99)]).isLessThan(50_000);
    }
}
