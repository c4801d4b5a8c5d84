package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant namespaces end to end, with the API server, PostgreSQL and the controller manager's tenant
 * reconciler, and kubectl acting as tenant users through impersonation: owners create namespaces up
 * to the quota, each gets the tenant label, the pod-security level and the tenant's defaults before
 * pods run; the label is immutable but for platform admins; membership changes reach every
 * namespace's RoleBindings; deleting the Tenant deletes its namespaces.
 */
class TenantNamespacesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RECONCILED = Duration.ofSeconds(60);
    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        apply(cluster.file("tenants.yaml", """
                apiVersion: tenancy.flotilla.dev/v1
                kind: Tenant
                metadata:
                  name: acme
                spec:
                  owners:
                  - kind: Group
                    name: oidc:tenant:acme:owners
                  members:
                  - kind: User
                    name: oidc:acme-dev
                    role: developer
                  namespaceQuota: 2
                  resourceQuota:
                    hard:
                      pods: "10"
                      requests.cpu: "2"
                    perNamespace:
                      hard:
                        persistentvolumeclaims: "2"
                  limitRange:
                    default:
                      cpu: 500m
                      memory: 256Mi
                    defaultRequest:
                      cpu: 100m
                      memory: 64Mi
                  podSecurity:
                    level: baseline
                ---
                apiVersion: tenancy.flotilla.dev/v1
                kind: Tenant
                metadata:
                  name: globex
                spec:
                  owners:
                  - kind: User
                    name: oidc:globex-owner
                  namespaceQuota: 1
                """));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Command.Result asAcmeOwner(String... args) {
        return as("oidc:acme-owner", "oidc:tenant:acme:owners", args);
    }

    private static Command.Result as(String user, String group, String... args) {
        List<String> all = new ArrayList<>(List.of("--as", user, "--as-group", group));
        all.addAll(List.of(args));
        return cluster.kubectl(all.toArray(String[]::new));
    }

    @Test
    void ownersCreateNamespacesThatGetTheTenantsDefaultsWithinTheQuota() {
        Await.until(RECONCILED, "acme's owners may create namespaces",
                () -> asAcmeOwner("auth", "can-i", "create", "namespaces").output().trim().endsWith("yes"));
        assertThat(ok(asAcmeOwner("create", "namespace", "acme-one")).output()).contains("namespace/acme-one created");

        JsonNode namespace = json(ok(cluster.kubectl("get", "namespace", "acme-one", "-o", "json")));
        assertThat(namespace.path("metadata").path("labels").path("tenancy.flotilla.dev/tenant").asText()).isEqualTo("acme");
        assertThat(namespace.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText())
                .isEqualTo("baseline");
        Await.until(RECONCILED, "acme-one has its defaults", () -> "acme".equals(json(cluster.kubectl("get",
                "namespace", "acme-one", "-o", "json")).path("metadata").path("annotations")
                .path("tenancy.flotilla.dev/defaults-of").asText()));
        // The tenant's quota is one aggregate quota over its namespaces (TenantQuotaIT), not a share in
        // each; a namespace has a quota of its own only as the tenant's perNamespace asks.
        JsonNode own = json(ok(cluster.kubectl("get", "resourcequota", "-n", "acme-one", "-o", "json")));
        assertThat(own.path("items")).hasSize(1);
        assertThat(own.path("items").path(0).path("metadata").path("name").asText()).isEqualTo("tenant-quota");
        assertThat(own.path("items").path(0).path("spec").path("hard").toString())
                .isEqualTo("{\"persistentvolumeclaims\":\"2\"}");
        JsonNode quota = json(ok(cluster.kubectl("get", "tenantresourcequota", "acme", "-o", "json")));
        assertThat(quota.path("spec").path("hard").path("pods").asText()).isEqualTo("10");
        assertThat(quota.path("spec").path("hard").path("requests.cpu").asText()).isEqualTo("2");
        JsonNode limits = json(ok(cluster.kubectl("get", "limitrange", "tenant-limits", "-n", "acme-one", "-o", "json")));
        assertThat(limits.path("spec").path("limits").path(0).path("default").path("memory").asText()).isEqualTo("256Mi");
        JsonNode policy = json(ok(cluster.kubectl("get", "networkpolicy", "tenant-isolation", "-n", "acme-one", "-o",
                "json")));
        assertThat(policy.path("spec").path("ingress").path(0).path("from").toString())
                .contains("\"tenancy.flotilla.dev/tenant\":\"acme\"").contains("kube-system");
        assertThat(ok(cluster.kubectl("get", "rolebindings", "-n", "acme-one", "-o",
                "custom-columns=NAME:.metadata.name,ROLE:.roleRef.name,SUBJECTS:.subjects[*].name")).output())
                .containsPattern("tenant-admin\\s+admin\\s+oidc:tenant:acme:owners")
                .containsPattern("tenant-developer\\s+edit\\s+oidc:acme-dev");

        // The developer works in the tenant's namespace (edit), the pod gets the LimitRange's defaults.
        ok(as("oidc:acme-dev", "oidc:tenant:acme:developers", "create", "configmap", "settings", "-n", "acme-one"));
        // (The ServiceAccount controller makes the default ServiceAccount the pod needs a moment after the namespace.)
        Await.until(RECONCILED, "the developer runs a pod", () -> as("oidc:acme-dev", "oidc:tenant:acme:developers",
                "run", "web", "--image=busybox", "-n", "acme-one", "--restart=Never").exitCode() == 0);
        assertThat(ok(cluster.kubectl("get", "pod", "web", "-n", "acme-one", "-o",
                "jsonpath={.spec.containers[0].resources.limits.cpu}")).output()).isEqualTo("500m");
        assertThat(as("oidc:acme-dev", "oidc:tenant:acme:developers", "create", "namespace", "dev-own").output())
                .contains("User \"oidc:acme-dev\" cannot create resource \"namespaces\"");

        ok(asAcmeOwner("create", "namespace", "acme-two"));
        assertThat(asAcmeOwner("create", "namespace", "acme-three").output())
                .contains("Error from server (Forbidden): namespaces \"acme-three\" is forbidden: tenant acme has reached "
                        + "its namespace quota (2 of 2 namespaces used: acme-one, acme-two)");
        assertThat(asAcmeOwner("create", "-f", cluster.file("steal.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n"
                + "  name: stolen\n  labels:\n    tenancy.flotilla.dev/tenant: globex\n").toString()).output())
                .contains("namespaces \"stolen\" is forbidden: only owners of tenant globex and platform admins may "
                        + "create its namespaces");

        Await.until(RECONCILED, "acme's status counts its namespaces", () -> ok(cluster.kubectl("get", "tenant", "acme"))
                .output().matches("(?s).*acme\\s+2\\s+2\\s+baseline.*"));
        assertThat(ok(cluster.kubectl("get", "tenant", "acme", "-o", "jsonpath={.status.namespaces}")).output())
                .isEqualTo("[\"acme-one\",\"acme-two\"]");
    }

    @Test
    void concurrentNamespaceCreatesNeverExceedTheQuota() {
        apply(cluster.file("hooli.yaml", """
                apiVersion: tenancy.flotilla.dev/v1
                kind: Tenant
                metadata:
                  name: hooli
                spec:
                  owners:
                  - kind: User
                    name: oidc:gavin
                  namespaceQuota: 2
                """));
        Await.until(RECONCILED, "hooli's owner may create namespaces",
                () -> as("oidc:gavin", "system:authenticated", "auth", "can-i", "create", "namespaces")
                        .output().trim().endsWith("yes"));
        List<java.util.concurrent.CompletableFuture<Command.Result>> creates = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String name = "hooli-" + i;
            creates.add(java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> as("oidc:gavin", "system:authenticated", "create", "namespace", name)));
        }
        List<Command.Result> results = creates.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        assertThat(results.stream().filter(r -> r.exitCode() == 0).count()).isEqualTo(2);
        assertThat(results.stream().filter(r -> r.exitCode() != 0).map(Command.Result::output))
                .allMatch(out -> out.contains("tenant hooli has reached its namespace quota (2 of 2 namespaces used"));
        assertThat(ok(cluster.kubectl("get", "namespaces", "-l", "tenancy.flotilla.dev/tenant=hooli", "-o", "name"))
                .output().lines().count()).isEqualTo(2);
    }

    @Test
    void theTenantLabelChangesOnlyByPlatformAdmins() {
        Await.until(RECONCILED, "globex's owner may create namespaces",
                () -> as("oidc:globex-owner", "system:authenticated", "auth", "can-i", "create", "namespaces")
                        .output().trim().endsWith("yes"));
        ok(as("oidc:globex-owner", "system:authenticated", "create", "namespace", "globex-one"));
        ok(cluster.kubectl("create", "clusterrole", "namespace-labeller", "--verb=get,patch,update",
                "--resource=namespaces"));
        ok(cluster.kubectl("create", "clusterrolebinding", "ops-labels", "--clusterrole=namespace-labeller",
                "--user=ops"));
        Await.until(RECONCILED, "ops may patch namespaces",
                () -> as("ops", "system:authenticated", "auth", "can-i", "patch", "namespaces").output().trim().endsWith("yes"));

        assertThat(as("ops", "system:authenticated", "label", "namespace", "globex-one", "--overwrite",
                "tenancy.flotilla.dev/tenant=acme").output())
                .contains("namespaces \"globex-one\" is forbidden: the label tenancy.flotilla.dev/tenant of a namespace "
                        + "can only be changed by platform admins");
        assertThat(as("ops", "system:authenticated", "label", "namespace", "globex-one", "tenancy.flotilla.dev/tenant-")
                .output()).contains("can only be changed by platform admins");
        Await.until(RECONCILED, "globex-one has its defaults", () -> "globex".equals(json(cluster.kubectl("get",
                "namespace", "globex-one", "-o", "json")).path("metadata").path("annotations")
                .path("tenancy.flotilla.dev/defaults-of").asText()));
        assertThat(as("ops", "system:authenticated", "annotate", "namespace", "globex-one", "--overwrite",
                "tenancy.flotilla.dev/defaults-of=acme").output())
                .contains("namespaces \"globex-one\" is forbidden: the annotation tenancy.flotilla.dev/defaults-of of a "
                        + "namespace can only be changed by platform admins");
        ok(as("ops", "system:authenticated", "label", "namespace", "globex-one", "team=blue"));
        ok(cluster.kubectl("create", "namespace", "plain"));
        assertThat(as("ops", "system:authenticated", "label", "namespace", "plain", "tenancy.flotilla.dev/tenant=acme")
                .output()).contains("can only be changed by platform admins");

        // A label naming no Tenant (set by hand by an admin) neither holds pods nor gets the namespace deleted.
        ok(cluster.kubectl("label", "namespace", "plain", "tenancy.flotilla.dev/tenant=nosuch"));
        Await.until(RECONCILED, "a pod runs in plain", () -> cluster.kubectl("run", "p", "--image=busybox", "-n", "plain",
                "--restart=Never").exitCode() == 0);
        ok(cluster.kubectl("create", "configmap", "after", "-n", "plain"));
        assertThat(ok(cluster.kubectl("get", "namespace", "plain", "-o", "jsonpath={.status.phase}")).output())
                .isEqualTo("Active");
    }

    @Test
    void aDeletedDefaultComesBackAndTheOthersAreNotRewritten() {
        apply(cluster.file("umbrella.yaml", """
                apiVersion: tenancy.flotilla.dev/v1
                kind: Tenant
                metadata:
                  name: umbrella
                spec:
                  owners:
                  - kind: User
                    name: oidc:umbrella-owner
                  limitRange:
                    default:
                      cpu: 200m
                """));
        Await.until(RECONCILED, "umbrella's owner may create namespaces",
                () -> as("oidc:umbrella-owner", "system:authenticated", "auth", "can-i", "create", "namespaces")
                        .output().trim().endsWith("yes"));
        ok(as("oidc:umbrella-owner", "system:authenticated", "create", "namespace", "umbrella-lab"));
        Await.until(RECONCILED, "umbrella-lab has its defaults", () -> "umbrella".equals(json(cluster.kubectl("get",
                "namespace", "umbrella-lab", "-o", "json")).path("metadata").path("annotations")
                .path("tenancy.flotilla.dev/defaults-of").asText()));
        String before = managedVersions("umbrella-lab");
        assertThat(before).contains("LimitRange/tenant-limits=").contains("NetworkPolicy/tenant-isolation=")
                .contains("RoleBinding/tenant-admin=");
        String uid = ok(cluster.kubectl("get", "limitrange", "tenant-limits", "-n", "umbrella-lab", "-o",
                "jsonpath={.metadata.uid}")).output();

        // A platform admin deletes one of the tenant's defaults: the reconciler hears of it and puts it back
        // (not only at its next resync), and rewrites nothing else while it is at it.
        ok(cluster.kubectl("delete", "limitrange", "tenant-limits", "-n", "umbrella-lab"));
        Await.until(RECONCILED, "the LimitRange is back", () -> {
            Command.Result current = cluster.kubectl("get", "limitrange", "tenant-limits", "-n", "umbrella-lab", "-o",
                    "jsonpath={.metadata.uid}");
            return current.exitCode() == 0 && !current.output().isEmpty() && !current.output().equals(uid);
        });
        assertThat(ok(cluster.kubectl("get", "limitrange", "tenant-limits", "-n", "umbrella-lab", "-o",
                "jsonpath={.spec.limits[0].default.cpu}")).output()).isEqualTo("200m");
        String after = managedVersions("umbrella-lab");
        assertThat(withoutLimitRange(after)).isEqualTo(withoutLimitRange(before));
    }

    /** kind/name=resourceVersion of the reconciler's objects in a namespace, sorted. */
    private static String managedVersions(String namespace) {
        return ok(cluster.kubectl("get", "resourcequotas,limitranges,networkpolicies,rolebindings", "-n", namespace,
                "-l", "tenancy.flotilla.dev/managed-by=tenant-reconciler", "-o",
                "jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion}{\"\\n\"}{end}"))
                .output().lines().sorted().collect(java.util.stream.Collectors.joining("\n"));
    }

    private static String withoutLimitRange(String versions) {
        return versions.lines().filter(line -> !line.startsWith("LimitRange/"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    @Test
    void membershipChangesReachEveryNamespaceAndDeletingTheTenantDeletesItsNamespaces() {
        apply(cluster.file("initech.yaml", """
                apiVersion: tenancy.flotilla.dev/v1
                kind: Tenant
                metadata:
                  name: initech
                spec:
                  owners:
                  - kind: User
                    name: oidc:initech-owner
                  members:
                  - kind: User
                    name: oidc:milton
                    role: developer
                """));
        // A platform admin may create a tenant's namespaces for it.
        ok(cluster.kubectl("create", "-f", cluster.file("initech-ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n"
                + "  name: initech-a\n  labels:\n    tenancy.flotilla.dev/tenant: initech\n---\napiVersion: v1\n"
                + "kind: Namespace\nmetadata:\n  name: initech-b\n  labels:\n    tenancy.flotilla.dev/tenant: initech\n")
                .toString()));
        for (String ns : List.of("initech-a", "initech-b")) {
            Await.until(RECONCILED, "milton is a developer in " + ns, () -> cluster.kubectl("get", "rolebinding",
                    "tenant-developer", "-n", ns, "-o", "jsonpath={.subjects[*].name}").output().equals("oidc:milton"));
        }
        assertThat(as("oidc:milton", "system:authenticated", "auth", "can-i", "create", "deployments", "-n", "initech-a")
                .output().trim()).endsWith("yes");

        ok(cluster.kubectl("patch", "tenant", "initech", "--type=merge", "-p",
                "{\"spec\":{\"members\":[{\"kind\":\"User\",\"name\":\"oidc:bob\",\"role\":\"viewer\"}]}}"));
        for (String ns : List.of("initech-a", "initech-b")) {
            Await.until(RECONCILED, "bob views " + ns + " and milton is gone", () ->
                    cluster.kubectl("get", "rolebinding", "tenant-viewer", "-n", ns, "-o",
                            "jsonpath={.roleRef.name} {.subjects[*].name}").output().equals("view oidc:bob")
                    && cluster.kubectl("get", "rolebinding", "tenant-developer", "-n", ns).exitCode() != 0);
        }
        Await.until(RECONCILED, "milton lost access",
                () -> as("oidc:milton", "system:authenticated", "auth", "can-i", "get", "pods", "-n", "initech-a")
                        .output().trim().endsWith("no"));

        ok(cluster.kubectl("delete", "tenant", "initech"));
        for (String ns : List.of("initech-a", "initech-b")) {
            Await.until(Duration.ofSeconds(120), ns + " is deleted with its tenant",
                    () -> cluster.kubectl("get", "namespace", ns).output().contains("NotFound"));
        }
        Await.until(RECONCILED, "initech's owner RBAC is gone", () -> cluster.kubectl("get", "clusterrolebinding",
                "tenancy.flotilla.dev:tenant:initech:owners").output().contains("NotFound"));
    }

    @Test
    void podsAndServicesKeepToTheTenantsNodePoolRegistriesAndAllowFlags() {
        apply(cluster.file("wayne.yaml", """
                apiVersion: tenancy.flotilla.dev/v1
                kind: Tenant
                metadata:
                  name: wayne
                spec:
                  owners:
                  - kind: User
                    name: oidc:bruce
                  nodeSelector:
                    pool: wayne
                  tolerations:
                  - key: pool
                    operator: Equal
                    value: wayne
                    effect: NoSchedule
                  allowedRegistries: ["127.0.0.1:5000"]
                  podSecurity:
                    level: privileged
                """));
        ok(cluster.kubectl("create", "-f", cluster.file("wayne-ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n"
                + "  name: wayne-one\n  labels:\n    tenancy.flotilla.dev/tenant: wayne\n").toString()));
        Await.until(RECONCILED, "the default ServiceAccount exists", () -> cluster.kubectl("get", "serviceaccount",
                "default", "-n", "wayne-one").exitCode() == 0);

        assertThat(cluster.kubectl("run", "docker-hub", "--image=busybox", "-n", "wayne-one", "--restart=Never").output())
                .contains("pods \"docker-hub\" is forbidden: image busybox (spec.containers[0].image) is not from a "
                        + "registry tenant wayne allows (127.0.0.1:5000)");
        ok(cluster.kubectl("run", "echo", "--image=127.0.0.1:5000/flotilla/echo", "-n", "wayne-one", "--restart=Never"));
        JsonNode pod = json(ok(cluster.kubectl("get", "pod", "echo", "-n", "wayne-one", "-o", "json")));
        assertThat(pod.path("spec").path("nodeSelector").path("pool").asText()).isEqualTo("wayne");
        assertThat(pod.path("spec").path("tolerations").toString()).contains("\"value\":\"wayne\"");
        assertThat(cluster.kubectl("run", "gpu", "--image=127.0.0.1:5000/flotilla/echo", "-n", "wayne-one",
                "--restart=Never", "--overrides={\"spec\":{\"nodeSelector\":{\"pool\":\"gpu\"}}}").output())
                .contains("pod node label selector conflicts with its tenant's node selector (pool=wayne)");
        assertThat(cluster.kubectl("run", "host", "--image=127.0.0.1:5000/flotilla/echo", "-n", "wayne-one",
                "--restart=Never", "--overrides={\"spec\":{\"hostNetwork\":true}}").output())
                .contains("pods \"host\" is forbidden: tenant wayne does not allow host networking (spec.hostNetwork)");
        assertThat(cluster.kubectl("run", "disk", "--image=127.0.0.1:5000/flotilla/echo", "-n", "wayne-one",
                "--restart=Never", "--overrides={\"spec\":{\"volumes\":[{\"name\":\"root\",\"hostPath\":"
                        + "{\"path\":\"/\"}}]}}").output())
                .contains("tenant wayne does not allow hostPath volumes (spec.volumes[0].hostPath)");
        assertThat(cluster.kubectl("create", "service", "nodeport", "web", "--tcp=80:8080", "-n", "wayne-one").output())
                .contains("services \"web\" is forbidden: tenant wayne does not allow Services of type NodePort");
        assertThat(cluster.kubectl("create", "service", "loadbalancer", "lb", "--tcp=80:8080", "-n", "wayne-one")
                .output()).contains("tenant wayne does not allow Services of type LoadBalancer");
        ok(cluster.kubectl("create", "service", "clusterip", "web", "--tcp=80:8080", "-n", "wayne-one"));

        ok(cluster.kubectl("patch", "tenant", "wayne", "--type=merge", "-p", "{\"spec\":{\"allow\":{\"nodePort\":true}}}"));
        ok(cluster.kubectl("create", "service", "nodeport", "open", "--tcp=80:8080", "-n", "wayne-one"));
    }

    /**
     * kubectl apply, retried: on a loaded machine kubectl's first OpenAPI download (for client-side
     * validation) can fail, and it then reports that as a failed apply.
     */
    private static void apply(java.nio.file.Path file) {
        Await.until(Duration.ofSeconds(120), "kubectl apply -f " + file.getFileName(),
                () -> cluster.kubectl("apply", "-f", file.toString()).exitCode() == 0);
    }

    private static JsonNode json(Command.Result result) {
        try {
            return JSON.readTree(result.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Command.Result ok(Command.Result result) {
        return result.assertSuccess();
    }
}
