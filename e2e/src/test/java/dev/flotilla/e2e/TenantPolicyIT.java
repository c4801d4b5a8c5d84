package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.e2e.AccessMatrix.Expectation;
import dev.flotilla.e2e.AccessMatrix.Outcome;
import dev.flotilla.e2e.AccessMatrix.Probe;
import dev.flotilla.e2e.ApiDiscovery.ApiResource;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.HttpsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The multi-tenancy benchmark's level 1 and 2 checks against tenant users (docs/tenancy.md,
 * "Isolation tests"): no cluster-scoped resource beyond their own, no host access or added
 * capabilities or NodePorts unless the Tenant allows them (alpha allows nothing, beta is privileged
 * with every allow flag), quotas, limit ranges, the tenant's defaults and the tenant label out of
 * reach, no escalation through RBAC, no impersonation. The cluster-scoped table is written to
 * {@code target/isolation-cluster-scope.md}.
 */
class TenantPolicyIT {

    private static final Path TABLE = Path.of("target", "isolation-cluster-scope.md");
    private static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete",
            "deletecollection");
    /** What every authenticated user may create (upstream's system:basic-user). */
    private static final Set<String> SELF_REVIEWS = Set.of("selfsubjectaccessreviews.authorization.k8s.io",
            "selfsubjectrulesreviews.authorization.k8s.io", "selfsubjectreviews.authentication.k8s.io");
    private static TwoTenants tenants;

    @BeforeAll
    static void start() {
        tenants = TwoTenants.start("""
                resourceQuota:
                  hard: {pods: "30"}
                limitRange:
                  default: {cpu: 500m, memory: 256Mi}
                """, """
                podSecurity:
                  level: privileged
                allow:
                  nodePort: true
                  hostPath: true
                  hostNetwork: true
                """);
        for (String namespace : List.of(tenants.alpha.namespace(), tenants.beta.namespace())) {
            Await.until(Duration.ofSeconds(60), "the default ServiceAccount of " + namespace, () -> tenants.cluster
                    .kubectl("get", "serviceaccount", "default", "-n", namespace).exitCode() == 0);
        }
    }

    @AfterAll
    static void stop() {
        if (tenants != null) {
            tenants.close();
        }
    }

    @Test
    void tenantUsersReachNoClusterScopedResourceButTheirOwn() {
        List<Probe> probes = new ArrayList<>();
        for (String user : List.of(tenants.alpha.owner(), tenants.alpha.developer())) {
            for (ApiResource resource : ApiDiscovery.all(tenants.cluster.admin())) {
                if (!resource.namespaced() && !resource.isSubresource()) {
                    for (String verb : VERBS) {
                        probes.add(clusterScoped(user, verb, resource));
                    }
                }
            }
            probes.add(Probe.of(user, "get", "namespaces", "(cluster)", "GET", "/api/v1/namespaces/"
                    + tenants.alpha.namespace(), Expectation.allowed(200)));
            String tenant = "/apis/tenancy.flotilla.dev/v1/tenants/" + tenants.alpha.name();
            probes.add(Probe.of(user, "get", "tenants.tenancy.flotilla.dev", "(cluster)", "GET", tenant,
                    Expectation.allowed(200)));
            String quota = "/apis/tenancy.flotilla.dev/v1/tenantresourcequotas/" + tenants.alpha.name();
            probes.add(Probe.of(user, "get", "tenantresourcequotas.tenancy.flotilla.dev", "(cluster)", "GET", quota,
                    Expectation.allowed(200)));
            probes.add(Probe.of(user, "patch", "tenantresourcequotas.tenancy.flotilla.dev", "(cluster)", "PATCH", quota,
                    Expectation.DENIED).withBody("{\"spec\":{\"hard\":{\"pods\":\"1000\"}}}"));
            probes.add(Probe.of(user, "patch", "tenants.tenancy.flotilla.dev", "(cluster)", "PATCH", tenant,
                    Expectation.DENIED).withBody("{\"spec\":{\"namespaceQuota\":100}}"));
            probes.add(Probe.of(user, "update", "tenants.tenancy.flotilla.dev/status", "(cluster)", "PATCH",
                    tenant + "/status", Expectation.DENIED).withBody("{\"status\":{\"namespaces\":[]}}"));
        }
        Map<String, HttpsClient> clients = Map.of(tenants.alpha.owner(), tenants.client(tenants.alpha.owner()),
                tenants.alpha.developer(), tenants.client(tenants.alpha.developer()));
        List<Outcome> outcomes = AccessMatrix.run(clients, probes, 8);
        AccessMatrix.write(TABLE, "Cluster-scoped resources: users of tenant alpha", outcomes);

        assertThat(outcomes.stream().map(o -> o.probe().resource())).contains("nodes", "namespaces",
                "persistentvolumes", "clusterroles.rbac.authorization.k8s.io",
                "clusterrolebindings.rbac.authorization.k8s.io", "storageclasses.storage.k8s.io",
                "customresourcedefinitions.apiextensions.k8s.io", "priorityclasses.scheduling.k8s.io",
                "tenants.tenancy.flotilla.dev");
        List<Outcome> failed = outcomes.stream().filter(o -> !o.passed()).toList();
        assertThat(failed).as("cluster-scoped requests not answered as expected (table in %s):\n%s",
                TABLE.toAbsolutePath(), AccessMatrix.describe(failed)).isEmpty();
    }

    /**
     * Denied, except what a tenant user is given: the self reviews, an owner's namespace create
     * (sent as a dry run), and get/watch of the user's own Tenant and Namespace (the probes name
     * beta's Tenant and {@code kube-system}).
     */
    private static Probe clusterScoped(String user, String verb, ApiResource resource) {
        String collection = resource.pathPrefix() + "/" + resource.name();
        String name = switch (resource.qualifiedName()) {
            case "tenants.tenancy.flotilla.dev", "tenantresourcequotas.tenancy.flotilla.dev" -> tenants.beta.name();
            case "namespaces" -> "kube-system";
            default -> ApiDiscovery.anyName(tenants.cluster.admin(), resource, null);
        };
        String object = collection + "/" + name;
        String body = "{\"apiVersion\":\"" + resource.groupVersion() + "\",\"kind\":\"" + resource.kind()
                + "\",\"metadata\":{\"name\":\"" + name + "\"}}";
        boolean selfReview = SELF_REVIEWS.contains(resource.qualifiedName()) && verb.equals("create");
        boolean ownersNamespace = resource.qualifiedName().equals("namespaces") && verb.equals("create")
                && user.equals(tenants.alpha.owner());
        Expectation expected = selfReview || ownersNamespace ? Expectation.allowed(201) : Expectation.DENIED;
        String createBody = ownersNamespace ? "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
                + "{\"name\":\"alpha-dry\"}}" : selfReview ? selfReviewBody(resource) : body;
        String where = "(cluster)";
        return switch (verb) {
            case "get" -> Probe.of(user, verb, resource.qualifiedName(), where, "GET", object, expected);
            case "list" -> Probe.of(user, verb, resource.qualifiedName(), where, "GET", collection, expected);
            case "watch" -> Probe.of(user, verb, resource.qualifiedName(), where, "GET",
                    collection + "?watch=true&timeoutSeconds=1", expected);
            case "create" -> Probe.of(user, verb, resource.qualifiedName(), where, "POST",
                    collection + (ownersNamespace ? "?dryRun=All" : ""), expected).withBody(createBody);
            case "update" -> Probe.of(user, verb, resource.qualifiedName(), where, "PUT", object, expected)
                    .withBody(body);
            case "patch" -> Probe.of(user, verb, resource.qualifiedName(), where, "PATCH", object, expected)
                    .withBody("{\"metadata\":{\"labels\":{\"taken\":\"by-alpha\"}}}");
            case "delete" -> Probe.of(user, verb, resource.qualifiedName(), where, "DELETE", object, expected);
            default -> Probe.of(user, verb, resource.qualifiedName(), where, "DELETE", collection, expected);
        };
    }

    private static String selfReviewBody(ApiResource resource) {
        String spec = switch (resource.kind()) {
            case "SelfSubjectAccessReview" -> "{\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"pods\","
                    + "\"namespace\":\"" + tenants.alpha.namespace() + "\"}}";
            case "SelfSubjectRulesReview" -> "{\"namespace\":\"" + tenants.alpha.namespace() + "\"}";
            default -> "{}";
        };
        return "{\"apiVersion\":\"" + resource.groupVersion() + "\",\"kind\":\"" + resource.kind() + "\",\"spec\":"
                + spec + "}";
    }

    /** A pod asking for one kind of host access or privilege, and the PodSecurity check that refuses it (upstream's words). */
    private record HostAccess(String name, String specFields, String containerFields, String refusal) {
    }

    private static final List<HostAccess> HOST_ACCESS = List.of(
            new HostAccess("privileged", "", "{\"securityContext\":{\"privileged\":true}}",
                    "privileged (container \"c\" must not set securityContext.privileged=true)"),
            new HostAccess("capabilities", "", "{\"securityContext\":{\"capabilities\":{\"add\":[\"NET_ADMIN\"]}}}",
                    "non-default capabilities (container \"c\" must not include \"NET_ADMIN\" in "
                            + "securityContext.capabilities.add)"),
            new HostAccess("host-network", "\"hostNetwork\":true", "", "host namespaces (hostNetwork=true)"),
            new HostAccess("host-pid", "\"hostPID\":true", "", "host namespaces (hostPID=true)"),
            new HostAccess("host-ipc", "\"hostIPC\":true", "", "host namespaces (hostIPC=true)"),
            new HostAccess("host-path", "\"volumes\":[{\"name\":\"root\",\"hostPath\":{\"path\":\"/\"}}]", "",
                    "hostPath volumes (volume \"root\")"),
            new HostAccess("host-port", "", "{\"ports\":[{\"containerPort\":80,\"hostPort\":80}]}",
                    "hostPort (container \"c\" uses hostPort 80)"));

    @Test
    void podsNeedTheirTenantsLeaveForHostAccessPrivilegeAndCapabilities() {
        for (String user : List.of(tenants.alpha.owner(), tenants.alpha.developer())) {
            for (HostAccess pod : HOST_ACCESS) {
                assertThat(runPod(user, tenants.alpha.namespace(), pod.name(), pod.specFields(), pod.containerFields())
                        .output()).as(pod.name()).contains("pods \"" + pod.name() + "\" is forbidden: violates "
                                + "PodSecurity \"restricted:latest\"").contains(pod.refusal());
            }
            assertThat(tenants.as(user, "create", "service", "nodeport", "open", "--tcp=80:8080", "-n",
                    tenants.alpha.namespace(), "--dry-run=server").output())
                    .contains("services \"open\" is forbidden: tenant alpha does not allow Services of type NodePort");
        }
        // Beta is privileged and allows host networking, hostPath and NodePorts: the same pods pass.
        for (HostAccess pod : HOST_ACCESS) {
            ok(runPod(tenants.beta.developer(), tenants.beta.namespace(), pod.name(), pod.specFields(),
                    pod.containerFields()));
        }
        ok(tenants.as(tenants.beta.developer(), "create", "service", "nodeport", "open", "--tcp=80:8080", "-n",
                tenants.beta.namespace(), "--dry-run=server"));
    }

    @Test
    void anEphemeralContainerCannotBringPrivilegeIntoARunningPod() {
        String alpha = tenants.alpha.namespace();
        ok(runPod(tenants.alpha.developer(), alpha, "debuggee", "", "", false));
        String debug = "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"debug\",\"image\":\"busybox\","
                + "\"securityContext\":{\"privileged\":true}}]}}";
        String[] patch = {"patch", "pod", "debuggee", "-n", alpha, "--subresource=ephemeralcontainers",
                "--type=strategic", "-p", debug};
        // Upstream's edit role has no pods/ephemeralcontainers; a platform admin may grant it for debugging.
        assertThat(tenants.as(tenants.alpha.developer(), patch).output()).contains("User \"alpha-dev\" cannot get "
                + "resource \"pods/ephemeralcontainers\"");
        ok(tenants.cluster.kubectl("create", "role", "debugger", "-n", alpha, "--verb=get,patch,update",
                "--resource=pods/ephemeralcontainers"));
        ok(tenants.cluster.kubectl("create", "rolebinding", "debugger", "-n", alpha, "--role=debugger",
                "--user=" + tenants.alpha.developer()));
        Await.until(Duration.ofSeconds(30), "alpha-dev may add ephemeral containers", () -> tenants.as(
                tenants.alpha.developer(), "auth", "can-i", "patch", "pods/ephemeralcontainers", "-n", alpha)
                .output().trim().equals("yes"));
        Command.Result patched = tenants.as(tenants.alpha.developer(), patch);
        assertThat(patched.exitCode()).isNotZero();
        assertThat(patched.output()).contains("pods \"debuggee\" is forbidden: violates PodSecurity \"restricted:latest\"")
                .contains("privileged (container \"debug\" must not set securityContext.privileged=true)");
    }

    @Test
    void quotasLimitRangesTenantDefaultsAndTheTenantLabelsAreOutOfReach() {
        String alpha = tenants.alpha.namespace();
        for (String user : List.of(tenants.alpha.owner(), tenants.alpha.developer())) {
            assertThat(tenants.as(user, "patch", "tenantresourcequota", tenants.alpha.name(), "--type=merge", "-p",
                    "{\"spec\":{\"hard\":{\"pods\":\"1000\"}}}").output())
                    .contains("is forbidden: User \"" + user + "\" cannot patch resource \"tenantresourcequotas\"");
            assertThat(tenants.as(user, "delete", "resourcequota", "tenant-quota", "-n", alpha).output())
                    .contains("cannot delete resource \"resourcequotas\"");
            assertThat(tenants.as(user, "create", "quota", "more", "--hard=pods=1000", "-n", alpha).output())
                    .contains("cannot create resource \"resourcequotas\"");
            assertThat(tenants.as(user, "delete", "limitrange", "tenant-limits", "-n", alpha).output())
                    .contains("limitranges \"tenant-limits\" is forbidden: User \"" + user + "\" cannot delete resource "
                            + "\"limitranges\"");
            assertThat(tenants.as(user, "label", "namespace", alpha, "--overwrite", "tenancy.flotilla.dev/tenant=beta")
                    .output()).contains("namespaces \"" + alpha + "\" is forbidden: User \"" + user + "\" cannot patch "
                            + "resource \"namespaces\"");
            assertThat(tenants.as(user, "label", "namespace", alpha, "pod-security.kubernetes.io/enforce-").output())
                    .contains("cannot patch resource \"namespaces\"");

            // The tenant's own NetworkPolicy and RoleBindings are the platform's, though admin and edit may write those kinds.
            assertThat(tenants.as(user, "delete", "networkpolicy", "tenant-isolation", "-n", alpha).output())
                    .contains("networkpolicies.networking.k8s.io \"tenant-isolation\" is forbidden: it is one of tenant "
                            + "alpha's defaults, which only platform admins may change");
            assertThat(tenants.as(user, "patch", "networkpolicy", "tenant-isolation", "-n", alpha, "--type=merge", "-p",
                    "{\"spec\":{\"ingress\":[{}]}}").output()).contains("only platform admins may change");
        }
        assertThat(tenants.as(tenants.alpha.owner(), "patch", "rolebinding", "tenant-developer", "-n", alpha,
                "--type=json", "-p", "[{\"op\":\"add\",\"path\":\"/subjects/-\",\"value\":{\"kind\":\"User\","
                        + "\"name\":\"beta-owner\"}}]").output())
                .contains("rolebindings.rbac.authorization.k8s.io \"tenant-developer\" is forbidden: it is one of tenant "
                        + "alpha's defaults, which only platform admins may change");
        assertThat(tenants.as(tenants.alpha.owner(), "delete", "rolebinding", "tenant-admin", "-n", alpha).output())
                .contains("only platform admins may change");
        assertThat(tenants.as(tenants.alpha.owner(), "label", "networkpolicy", "tenant-isolation", "-n", alpha,
                "tenancy.flotilla.dev/managed-by-").output()).contains("only platform admins may change");
        // A look-alike made by the owner is not protected: the label is the reconciler's.
        assertThat(tenants.as(tenants.alpha.owner(), "create", "-n", alpha, "-f", tenants.cluster.file("forged.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: forged
                  labels:
                    tenancy.flotilla.dev/managed-by: tenant-reconciler
                spec:
                  podSelector: {}
                """).toString()).output()).contains("networkpolicies.networking.k8s.io \"forged\" is forbidden: "
                + "the label tenancy.flotilla.dev/managed-by is set only by the tenant reconciler");
        assertThat(ok(tenants.cluster.kubectl("get", "networkpolicy", "tenant-isolation", "-n", alpha, "-o",
                "jsonpath={.spec.ingress[0].from[0].namespaceSelector.matchLabels}")).output())
                .contains("\"tenancy.flotilla.dev/tenant\":\"alpha\"");

        // A namespace cannot be born claiming its defaults, which would let pods in before its quota and policy.
        assertThat(ok(tenants.as(tenants.alpha.owner(), "create", "-o", "jsonpath={.metadata.annotations}", "-f",
                tenants.cluster.file("early.yaml", """
                        apiVersion: v1
                        kind: Namespace
                        metadata:
                          name: alpha-early
                          annotations:
                            tenancy.flotilla.dev/defaults-of: alpha
                            note: mine
                        """).toString())).output()).contains("note").doesNotContain("defaults-of");

        // The owner's new namespace gets the tenant's level whatever label it asks for.
        ok(tenants.as(tenants.alpha.owner(), "create", "-f", tenants.cluster.file("lax.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: alpha-lax
                  labels:
                    pod-security.kubernetes.io/enforce: privileged
                """).toString()));
        assertThat(ok(tenants.cluster.kubectl("get", "namespace", "alpha-lax", "-o",
                "jsonpath={.metadata.labels.pod-security\\.kubernetes\\.io/enforce} {.metadata.labels.tenancy\\.flotilla"
                        + "\\.dev/tenant}")).output()).isEqualTo("restricted alpha");
    }

    @Test
    void roleBindingsCannotGrantMoreThanTheOwnerHolds() {
        String alpha = tenants.alpha.namespace();
        String owner = tenants.alpha.owner();
        String escalation = "user \"alpha-owner\" (groups=[\"tenant:alpha\" \"system:authenticated\"]) is attempting to "
                + "grant RBAC permissions not currently held";
        assertThat(tenants.as(owner, "create", "rolebinding", "root", "-n", alpha, "--clusterrole=cluster-admin",
                "--user=" + owner).output())
                .contains("rolebindings.rbac.authorization.k8s.io \"root\" is forbidden: " + escalation);
        assertThat(tenants.as(owner, "create", "rolebinding", "controllers", "-n", alpha,
                "--clusterrole=system:flotilla:controller-manager", "--user=" + owner).output())
                .contains("rolebindings.rbac.authorization.k8s.io \"controllers\" is forbidden: " + escalation);
        assertThat(tenants.as(owner, "create", "role", "quota-writer", "-n", alpha, "--verb=update,patch",
                "--resource=resourcequotas").output())
                .contains("roles.rbac.authorization.k8s.io \"quota-writer\" is forbidden: " + escalation)
                .contains("Resources:[\"resourcequotas\"]");
        assertThat(tenants.as(owner, "create", "role", "escalator", "-n", alpha, "--verb=escalate,bind",
                "--resource=roles.rbac.authorization.k8s.io").output())
                .contains("roles.rbac.authorization.k8s.io \"escalator\" is forbidden: " + escalation);
        assertThat(tenants.as(owner, "create", "clusterrolebinding", "mine", "--clusterrole=admin", "--user=" + owner)
                .output()).contains("User \"alpha-owner\" cannot create resource \"clusterrolebindings\"");
        assertThat(tenants.as(owner, "create", "clusterrole", "mine", "--verb=get", "--resource=pods").output())
                .contains("User \"alpha-owner\" cannot create resource \"clusterroles\"");
        // Within what the owner holds, binding works: admin to a co-owner in alpha's namespace.
        ok(tenants.as(owner, "create", "rolebinding", "co-owner", "-n", alpha, "--clusterrole=admin", "--user=carol"));
        assertThat(tenants.as(owner, "auth", "can-i", "create", "rolebindings", "-n", tenants.beta.namespace()).output()
                .trim()).isEqualTo("no");
    }

    @Test
    void tenantUsersCannotImpersonateAnyone() {
        String beta = tenants.beta.namespace();
        for (String user : List.of(tenants.alpha.owner(), tenants.alpha.developer())) {
            assertThat(tenants.as(user, "--as", tenants.beta.owner(), "get", "secrets", "-n", beta).output())
                    .contains("users \"beta-owner\" is forbidden: User \"" + user + "\" cannot impersonate resource "
                            + "\"users\" in API group \"\" at the cluster scope");
            // Upstream asks for the user first, so impersonating oneself in system:masters fails there.
            assertThat(tenants.as(user, "--as", user, "--as-group", "system:masters", "get", "nodes").output())
                    .contains("is forbidden: User \"" + user + "\" cannot impersonate resource");
            assertThat(tenants.as(user, "--as", "system:serviceaccount:" + beta + ":default", "get", "secrets", "-n",
                    beta).output()).contains("serviceaccounts \"default\" is forbidden: User \"" + user + "\" cannot "
                            + "impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"" + beta + "\"");
        }
        // Upstream's edit role impersonates the ServiceAccounts of its own namespace, and only those.
        String robot = "system:serviceaccount:" + tenants.alpha.namespace() + ":default";
        assertThat(ok(tenants.as(tenants.alpha.developer(), "--as", robot, "auth", "whoami")).output()).contains(robot);
        assertThat(tenants.as(tenants.alpha.developer(), "--as", robot, "get", "secrets", "-n", beta).output())
                .contains("User \"" + robot + "\" cannot list resource \"secrets\"");
    }

    private static Command.Result runPod(String user, String namespace, String name, String specFields,
            String containerFields) {
        return runPod(user, namespace, name, specFields, containerFields, true);
    }

    /** Creates a busybox pod with the given pod spec and container fields; with none, one restricted admits. */
    private static Command.Result runPod(String user, String namespace, String name, String specFields,
            String containerFields, boolean dryRun) {
        String container = "{\"name\":\"c\",\"image\":\"busybox\"" + (containerFields.isEmpty() ? ""
                : "," + containerFields.substring(1, containerFields.length() - 1)) + "}";
        String spec = "{\"containers\":[" + container + "]" + (specFields.isEmpty() ? "" : "," + specFields) + "}";
        if (containerFields.isEmpty() && specFields.isEmpty()) {
            spec = "{\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":1000,\"seccompProfile\":"
                    + "{\"type\":\"RuntimeDefault\"}},\"containers\":[{\"name\":\"c\",\"image\":\"busybox\","
                    + "\"securityContext\":{\"allowPrivilegeEscalation\":false,\"capabilities\":{\"drop\":[\"ALL\"]}}}]}";
        }
        Path file = tenants.cluster.file(namespace + "-" + name + "-" + user + ".json", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + namespace + "\"},"
                + "\"spec\":" + spec + "}");
        return dryRun ? tenants.as(user, "create", "-f", file.toString(), "--dry-run=server")
                : tenants.as(user, "create", "-f", file.toString());
    }

    private static Command.Result ok(Command.Result result) {
        return result.assertSuccess();
    }
}
