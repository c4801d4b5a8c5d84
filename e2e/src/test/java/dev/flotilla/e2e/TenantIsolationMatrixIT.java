package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.e2e.AccessMatrix.Expectation;
import dev.flotilla.e2e.AccessMatrix.Outcome;
import dev.flotilla.e2e.AccessMatrix.Probe;
import dev.flotilla.e2e.ApiDiscovery.ApiResource;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.HttpsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * Tenant isolation as a matrix (docs/tenancy.md, "Isolation tests"): every namespaced resource and
 * subresource discovery lists × every verb, sent by the owner and the developer of tenant alpha into
 * tenant beta's namespace, must be denied; cluster-wide lists and watches with selectors naming beta
 * must be denied; lists and watches in alpha's own namespace with a selector naming beta must not
 * return beta's objects. The table is written to {@code target/isolation-matrix.md}.
 */
class TenantIsolationMatrixIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TABLE = Path.of("target", "isolation-matrix.md");
    private static final List<String> RESOURCE_VERBS = List.of("get", "list", "watch", "create", "update", "patch",
            "delete", "deletecollection");
    /** A subresource is always addressed through a named object: list, watch and deletecollection have no form. */
    private static final List<String> SUBRESOURCE_VERBS = List.of("get", "create", "update", "patch", "delete");
    /**
     * Readable by every authenticated user, the answer scoped to what the caller may see
     * (docs/audit.md): reads of beta's are hidden rather than denied.
     */
    private static final Set<String> SCOPED_READS = Set.of("auditevents.audit.flotilla.dev");
    private static TwoTenants tenants;

    @BeforeAll
    static void start() {
        tenants = TwoTenants.start("", "");
        String beta = tenants.beta.namespace();
        ok(tenants.cluster.kubectl("create", "configmap", "beta-config", "-n", beta, "--from-literal=plan=secret"));
        ok(tenants.cluster.kubectl("create", "secret", "generic", "beta-credentials", "-n", beta,
                "--from-literal=password=hunter2"));
        ok(tenants.cluster.kubectl("label", "configmap", "beta-config", "-n", beta, "tenancy.flotilla.dev/tenant=beta"));
        // A pod and a Deployment, so pods/log, pods/exec, deployments/scale … are asked of real objects.
        Path workloads = tenants.cluster.file("beta-workloads.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: beta-web
                spec:
                  securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
                  containers:
                  - name: web
                    image: busybox
                    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: beta-api
                spec:
                  replicas: 0
                  selector: {matchLabels: {app: beta-api}}
                  template:
                    metadata: {labels: {app: beta-api}}
                    spec:
                      containers: [{name: api, image: busybox}]
                """);
        Await.until(Duration.ofSeconds(60), "beta's pod and Deployment exist",
                () -> tenants.cluster.kubectl("apply", "-n", beta, "-f", workloads.toString()).exitCode() == 0);
        Await.until(Duration.ofSeconds(60), "beta's namespace has audit events", () -> tenants.cluster.admin()
                .get("/apis/audit.flotilla.dev/v1/namespaces/" + beta + "/auditevents?limit=1").body()
                .contains("\"namespace\":\"" + beta + "\""));
    }

    @AfterAll
    static void stop() {
        if (tenants != null) {
            tenants.close();
        }
    }

    @Test
    void noUserOfTenantAlphaReachesTenantBetasObjects() {
        List<ApiResource> resources = ApiDiscovery.all(tenants.cluster.admin());
        assertThat(resources.stream().filter(ApiResource::namespaced).map(ApiResource::qualifiedName))
                .contains("pods", "pods/log", "pods/exec", "pods/status", "deployments.apps/scale",
                        "serviceaccounts/token", "secrets", "rolebindings.rbac.authorization.k8s.io",
                        "networkpolicies.networking.k8s.io");

        List<Probe> probes = new ArrayList<>();
        for (String user : List.of(tenants.alpha.owner(), tenants.alpha.developer())) {
            for (ApiResource resource : resources) {
                if (resource.namespaced()) {
                    probes.addAll(crossTenant(user, resource));
                    if (!resource.isSubresource() && resource.verbs().contains("list")) {
                        probes.addAll(selectorTricks(user, resource));
                    }
                }
            }
            probes.addAll(betasNamespaceAndTenant(user));
            probes.addAll(ownNamespaceStillWorks(user));
        }
        Map<String, HttpsClient> clients = Map.of(tenants.alpha.owner(), tenants.client(tenants.alpha.owner()),
                tenants.alpha.developer(), tenants.client(tenants.alpha.developer()));
        long started = System.nanoTime();
        List<Outcome> outcomes = AccessMatrix.run(clients, probes, 8);
        AccessMatrix.write(TABLE, "Tenant isolation matrix: users of tenant alpha against tenant beta ("
                + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s)", outcomes);

        List<Outcome> crossTenantAllows = outcomes.stream()
                .filter(o -> o.probe().expected() == Expectation.DENIED && o.allowed()).toList();
        assertThat(outcomes.stream().filter(o -> o.probe().expected() == Expectation.DENIED).count())
                .isGreaterThan(1000);
        assertThat(crossTenantAllows).as("cross-tenant requests that were allowed:\n%s",
                AccessMatrix.describe(crossTenantAllows)).isEmpty();
        List<Outcome> failed = outcomes.stream().filter(o -> !o.passed()).toList();
        assertThat(failed).as("requests not answered as expected (table in %s):\n%s", TABLE.toAbsolutePath(),
                AccessMatrix.describe(failed)).isEmpty();
        assertThat(betaStillHolds("configmaps", "beta-config")).isTrue();
        assertThat(betaStillHolds("secrets", "beta-credentials")).isTrue();
    }

    /** Every verb on {@code resource} in beta's namespace, by name and by collection. */
    private static List<Probe> crossTenant(String user, ApiResource resource) {
        String namespace = tenants.beta.namespace();
        String collection = resource.pathPrefix() + "/namespaces/" + namespace + "/" + resource.parent();
        String name = ApiDiscovery.anyName(tenants.cluster.admin(), resource, namespace);
        String object = collection + "/" + name + (resource.isSubresource() ? "/" + resource.subresource() : "");
        String body = "{\"apiVersion\":\"" + resource.groupVersion() + "\",\"kind\":\"" + resource.kind()
                + "\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + namespace + "\"}}";
        List<Probe> probes = new ArrayList<>();
        for (String verb : resource.isSubresource() ? SUBRESOURCE_VERBS : RESOURCE_VERBS) {
            Probe probe = switch (verb) {
                case "get" -> probe(user, verb, resource, "GET", object);
                case "list" -> probe(user, verb, resource, "GET", collection);
                case "watch" -> probe(user, verb, resource, "GET", collection + "?watch=true&timeoutSeconds=1");
                case "create" -> probe(user, verb, resource, "POST", resource.isSubresource() ? object : collection)
                        .withBody(body);
                case "update" -> probe(user, verb, resource, "PUT", object).withBody(body);
                case "patch" -> probe(user, verb, resource, "PATCH", object)
                        .withBody("{\"metadata\":{\"labels\":{\"taken\":\"by-alpha\"}}}");
                case "delete" -> probe(user, verb, resource, "DELETE", object);
                default -> probe(user, verb, resource, "DELETE", collection);
            };
            probes.add(probe);
        }
        return probes;
    }

    private static Probe probe(String user, String verb, ApiResource resource, String method, String path) {
        return Probe.of(user, verb, resource.qualifiedName(), tenants.beta.namespace(), method, path,
                expectedRead(verb, resource));
    }

    /** Denied; for a scoped read, hidden. */
    private static Expectation expectedRead(String verb, ApiResource resource) {
        return SCOPED_READS.contains(resource.qualifiedName()) && List.of("get", "list").contains(verb)
                ? Expectation.hiddenFrom(tenants.beta.namespace()) : Expectation.DENIED;
    }

    /**
     * Selectors that name beta: cluster-wide lists and watches with them are denied (they need
     * cluster-wide rights however they filter); the same selectors on alpha's own namespace must
     * not bring back anything of beta's.
     */
    private static List<Probe> selectorTricks(String user, ApiResource resource) {
        String beta = tenants.beta.namespace();
        String byNamespace = "fieldSelector=" + encode("metadata.namespace=" + beta);
        String byTenant = "labelSelector=" + encode("tenancy.flotilla.dev/tenant=beta");
        String clusterWide = resource.pathPrefix() + "/" + resource.name();
        String own = resource.pathPrefix() + "/namespaces/" + tenants.alpha.namespace() + "/" + resource.name();
        Expectation nothingOfBeta = Expectation.nothingFrom(beta);
        String name = resource.qualifiedName();
        Expectation list = expectedRead("list", resource);
        Expectation watch = expectedRead("watch", resource);
        return List.of(
                Probe.of(user, "list", name, "(all)", "GET", clusterWide + "?" + byNamespace, list),
                Probe.of(user, "watch", name, "(all)", "GET", clusterWide + "?watch=true&timeoutSeconds=1&"
                        + byNamespace, watch),
                Probe.of(user, "list", name, "(all)", "GET", clusterWide + "?" + byTenant, list),
                Probe.of(user, "watch", name, "(all)", "GET", clusterWide + "?watch=true&timeoutSeconds=1&" + byTenant,
                        watch),
                Probe.of(user, "list", name, tenants.alpha.namespace(), "GET", own + "?" + byNamespace, nothingOfBeta),
                Probe.of(user, "watch", name, tenants.alpha.namespace(), "GET", own + "?watch=true&timeoutSeconds=1&"
                        + byNamespace, nothingOfBeta),
                Probe.of(user, "list", name, tenants.alpha.namespace(), "GET", own + "?" + byTenant, nothingOfBeta));
    }

    /** Beta's Namespace object (and its status and finalize subresources) and beta's Tenant. */
    private static List<Probe> betasNamespaceAndTenant(String user) {
        String beta = tenants.beta.namespace();
        String namespace = "/api/v1/namespaces/" + beta;
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + beta + "\"}}";
        String tenant = "/apis/tenancy.flotilla.dev/v1/tenants";
        Expectation denied = Expectation.DENIED;
        return List.of(
                Probe.of(user, "get", "namespaces", beta, "GET", namespace, denied),
                Probe.of(user, "update", "namespaces", beta, "PUT", namespace, denied).withBody(body),
                Probe.of(user, "patch", "namespaces", beta, "PATCH", namespace, denied)
                        .withBody("{\"metadata\":{\"labels\":{\"tenancy.flotilla.dev/tenant\":\"alpha\"}}}"),
                Probe.of(user, "delete", "namespaces", beta, "DELETE", namespace, denied),
                Probe.of(user, "get", "namespaces/status", beta, "GET", namespace + "/status", denied),
                Probe.of(user, "update", "namespaces/status", beta, "PUT", namespace + "/status", denied).withBody(body),
                Probe.of(user, "update", "namespaces/finalize", beta, "PUT", namespace + "/finalize", denied)
                        .withBody(body),
                Probe.of(user, "list", "namespaces", "(all)", "GET", "/api/v1/namespaces?fieldSelector="
                        + encode("metadata.name=" + beta), denied),
                Probe.of(user, "watch", "namespaces", "(all)", "GET", "/api/v1/namespaces?watch=true&timeoutSeconds=1"
                        + "&fieldSelector=" + encode("metadata.name=" + beta), denied),
                Probe.of(user, "list", "namespaces", "(all)", "GET", "/api/v1/namespaces?labelSelector="
                        + encode("tenancy.flotilla.dev/tenant=beta"), denied),
                Probe.of(user, "get", "tenants.tenancy.flotilla.dev", "(cluster)", "GET", tenant + "/beta", denied),
                Probe.of(user, "list", "tenants.tenancy.flotilla.dev", "(cluster)", "GET", tenant + "?fieldSelector="
                        + encode("metadata.name=beta"), denied),
                Probe.of(user, "watch", "tenants.tenancy.flotilla.dev", "(cluster)", "GET", tenant
                        + "?watch=true&timeoutSeconds=1&fieldSelector=" + encode("metadata.name=beta"), denied),
                Probe.of(user, "patch", "tenants.tenancy.flotilla.dev", "(cluster)", "PATCH", tenant + "/beta", denied)
                        .withBody("{\"spec\":{\"owners\":[{\"kind\":\"User\",\"name\":\"" + user + "\"}]}}"));
    }

    /**
     * Controls, so a matrix of denials cannot pass only because the users are broken: each works in
     * alpha's namespace and reads its own Tenant; a create in its own namespace whose body names beta's
     * namespace is refused (400, as upstream) rather than stored in beta's.
     */
    private static List<Probe> ownNamespaceStillWorks(String user) {
        String alpha = tenants.alpha.namespace();
        String configmaps = "/api/v1/namespaces/" + alpha + "/configmaps";
        String smuggled = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"smuggled-" + user
                + "\",\"namespace\":\"" + tenants.beta.namespace() + "\"}}";
        return List.of(
                Probe.of(user, "list", "configmaps", alpha, "GET", configmaps, Expectation.allowed(200)),
                Probe.of(user, "list", "secrets", alpha, "GET", "/api/v1/namespaces/" + alpha + "/secrets",
                        Expectation.allowed(200)),
                Probe.of(user, "create", "configmaps", alpha, "POST", configmaps, Expectation.allowed(201))
                        .withBody("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"own-" + user
                                + "\"}}"),
                Probe.of(user, "create", "configmaps", alpha, "POST", configmaps, Expectation.allowed(400))
                        .withBody(smuggled),
                Probe.of(user, "get", "tenants.tenancy.flotilla.dev", "(cluster)", "GET",
                        "/apis/tenancy.flotilla.dev/v1/tenants/alpha", Expectation.allowed(200)));
    }

    @Test
    void kubectlShowsAlphasUsersNothingOfBeta() {
        String beta = tenants.beta.namespace();
        assertThat(tenants.as(tenants.alpha.developer(), "get", "secrets", "-n", beta).output())
                .contains("Error from server (Forbidden): secrets is forbidden: User \"alpha-dev\" cannot list resource "
                        + "\"secrets\" in API group \"\" in the namespace \"beta-one\"");
        assertThat(tenants.as(tenants.alpha.owner(), "get", "configmap", "beta-config", "-n", beta, "-o", "yaml")
                .output()).contains("configmaps \"beta-config\" is forbidden: User \"alpha-owner\" cannot get resource "
                        + "\"configmaps\" in API group \"\" in the namespace \"beta-one\"").doesNotContain("plan");
        assertThat(tenants.as(tenants.alpha.owner(), "get", "configmaps", "-A", "-l", "tenancy.flotilla.dev/tenant=beta")
                .output()).contains("User \"alpha-owner\" cannot list resource \"configmaps\" in API group \"\" at the "
                        + "cluster scope");
        Command.Result filtered = ok(tenants.as(tenants.alpha.owner(), "get", "secrets", "-n", tenants.alpha.namespace(),
                "--field-selector", "metadata.namespace=" + beta));
        assertThat(filtered.output()).contains("No resources found").doesNotContain("beta-credentials");
        assertThat(tenants.as(tenants.alpha.owner(), "delete", "namespace", beta).output())
                .contains("namespaces \"beta-one\" is forbidden: User \"alpha-owner\" cannot delete resource "
                        + "\"namespaces\" in API group \"\" in the namespace \"beta-one\"");

        // can-i --list in beta's namespace shows only what every authenticated user may do.
        String rules = ok(tenants.as(tenants.alpha.owner(), "auth", "can-i", "--list", "-n", beta)).output();
        assertThat(rules).contains("selfsubjectaccessreviews.authorization.k8s.io");
        assertThat(rules.lines().filter(line -> line.matches("^(pods|secrets|configmaps|\\*\\.\\*|\\*)\\s.*")))
                .isEmpty();
        assertThat(rules).doesNotContain("rolebindings").doesNotContain("deployments");
        assertThat(ok(tenants.as(tenants.alpha.owner(), "auth", "can-i", "--list", "-n", tenants.alpha.namespace()))
                .output()).containsPattern("(?m)^pods\\s");
    }

    @Test
    void tenantUsersCreateRoleBindingsAndNetworkPoliciesInTheirOwnNamespaces() {
        String alpha = tenants.alpha.namespace();
        ok(tenants.as(tenants.alpha.owner(), "create", "rolebinding", "helpers", "-n", alpha, "--clusterrole=view",
                "--user=alpha-helper"));
        Await.until(Duration.ofSeconds(30), "the owner's RoleBinding grants alpha-helper",
                () -> tenants.cluster.kubectl("auth", "can-i", "list", "pods", "-n", alpha, "--as", "alpha-helper")
                        .output().trim().equals("yes"));
        assertThat(tenants.cluster.kubectl("auth", "can-i", "list", "pods", "-n", tenants.beta.namespace(), "--as",
                "alpha-helper").output().trim()).isEqualTo("no");

        String policy = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: %s
                spec:
                  podSelector: {}
                  ingress:
                  - from:
                    - podSelector: {}
                """;
        ok(tenants.as(tenants.alpha.owner(), "create", "-n", alpha, "-f",
                tenants.cluster.file("owner-policy.yaml", policy.formatted("owner-policy")).toString()));
        ok(tenants.as(tenants.alpha.developer(), "create", "-n", alpha, "-f",
                tenants.cluster.file("dev-policy.yaml", policy.formatted("dev-policy")).toString()));
        assertThat(ok(tenants.as(tenants.alpha.developer(), "get", "networkpolicies", "-n", alpha, "-o", "name"))
                .output()).contains("networkpolicy.networking.k8s.io/owner-policy", "networkpolicy.networking.k8s.io/dev-policy");
        // A developer holds upstream's edit role, which grants no RBAC writes.
        assertThat(tenants.as(tenants.alpha.developer(), "create", "rolebinding", "mine", "-n", alpha,
                "--clusterrole=view", "--user=alpha-helper").output())
                .contains("User \"alpha-dev\" cannot create resource \"rolebindings\" in API group "
                        + "\"rbac.authorization.k8s.io\" in the namespace \"alpha-one\"");
        assertThat(tenants.as(tenants.alpha.owner(), "create", "rolebinding", "reach", "-n", tenants.beta.namespace(),
                "--clusterrole=view", "--user=alpha-helper").output())
                .contains("User \"alpha-owner\" cannot create resource \"rolebindings\"");
    }

    private static boolean betaStillHolds(String resource, String name) {
        JsonNode object = read(tenants.cluster.admin().get("/api/v1/namespaces/" + tenants.beta.namespace() + "/"
                + resource + "/" + name).body());
        return name.equals(object.path("metadata").path("name").asText())
                && !object.path("metadata").path("labels").has("taken");
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Command.Result ok(Command.Result result) {
        return result.assertSuccess();
    }
}
