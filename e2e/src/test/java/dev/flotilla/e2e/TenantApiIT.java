package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tenancy.flotilla.dev/v1 Tenant through the normal API path, kept in PostgreSQL: discovery,
 * explain, kubectl create/get/-o yaml/apply/edit/delete/watch, table columns, defaults, 422 field
 * causes, 409 conflicts, watch resume, RBAC, and a PostgreSQL outage answered with 503 for tenants
 * only.
 */
class TenantApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String tenant(String name, String extraSpec) {
        return "apiVersion: tenancy.flotilla.dev/v1\nkind: Tenant\nmetadata:\n  name: " + name + "\nspec:\n"
                + "  owners:\n  - kind: Group\n    name: oidc:tenant:" + name + ":owners\n"
                + "  namespaceQuota: 3\n" + extraSpec;
    }

    @Test
    void discoveryAndExplainDescribeTheTenant() {
        assertThat(ok("api-resources", "--api-group=tenancy.flotilla.dev").output())
                .containsPattern("tenants\\s+tnt\\s+tenancy.flotilla.dev/v1\\s+false\\s+Tenant");
        assertThat(ok("explain", "tenants.spec.owners").output())
                .contains("KIND:       Tenant").contains("Users or groups");
        assertThat(ok("explain", "tenants.spec.podSecurity.level").output()).contains("pod-security.kubernetes.io/enforce");
    }

    @Test
    void kubectlManagesTenantsWithDefaultsAndColumns() throws Exception {
        Path file = cluster.file("acme.yaml", tenant("acme", "  resourceQuota:\n    hard:\n      pods: \"30\"\n"));
        assertThat(ok("create", "-f", file.toString()).output()).contains("tenant.tenancy.flotilla.dev/acme created");

        assertThat(ok("get", "tenants").output())
                .containsPattern("NAME\\s+NAMESPACE QUOTA\\s+NAMESPACE COUNT\\s+POD SECURITY\\s+AGE")
                .containsPattern("acme\\s+3\\s+0\\s+restricted");
        assertThat(ok("get", "tnt", "acme", "-o", "wide").output()).contains("Group:oidc:tenant:acme:owners");
        String yaml = ok("get", "tenant", "acme", "-o", "yaml").output();
        assertThat(yaml).contains("level: restricted").contains("enabled: true").contains("hostNetwork: false")
                .contains("resourceVersion:").contains("uid:");

        Files.writeString(file, tenant("acme", "  resourceQuota:\n    hard:\n      pods: \"40\"\n"));
        assertThat(ok("apply", "-f", file.toString()).output()).contains("tenant.tenancy.flotilla.dev/acme configured");
        assertThat(ok("get", "tenant", "acme", "-o", "jsonpath={.spec.resourceQuota.hard.pods}").output()).isEqualTo("40");

        Path editor = cluster.file("tenant-editor.sh", "#!/bin/sh\nsed -i 's/namespaceQuota: 3/namespaceQuota: 5/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(cluster.kubectlWithEnv(Map.of("EDITOR", editor.toString()), "edit", "tenant", "acme")
                .assertSuccess().output()).contains("tenant.tenancy.flotilla.dev/acme edited");
        assertThat(ok("get", "tenant", "acme", "-o", "jsonpath={.spec.namespaceQuota}").output()).isEqualTo("5");

        assertThat(ok("delete", "tenant", "acme").output()).contains("tenant.tenancy.flotilla.dev \"acme\" deleted");
        assertThat(cluster.kubectl("get", "tenant", "acme").output())
                .contains("Error from server (NotFound): tenants.tenancy.flotilla.dev \"acme\" not found");
    }

    @Test
    void invalidTenantsAreRefusedWithEveryFieldCause() throws Exception {
        Path file = cluster.file("bad.yaml", "apiVersion: tenancy.flotilla.dev/v1\nkind: Tenant\nmetadata:\n"
                + "  name: bad\nspec:\n  owners:\n  - kind: Robot\n    name: x\n  members:\n  - kind: User\n"
                + "    name: y\n    role: boss\n  namespaceQuota: -1\n  podSecurity:\n    level: lax\n"
                + "  resourceQuota:\n    hard:\n      cpu: lots\n");
        String output = cluster.kubectl("create", "-f", file.toString()).output();
        assertThat(output).contains("The Tenant \"bad\" is invalid")
                .contains("spec.owners[0].kind: Unsupported value: \"Robot\"")
                .contains("spec.members[0].role: Unsupported value: \"boss\"")
                .contains("spec.namespaceQuota: Invalid value: -1")
                .contains("spec.podSecurity.level: Unsupported value: \"lax\"")
                .contains("spec.resourceQuota.hard.cpu: Invalid value: \"lots\"");
        assertThat(cluster.kubectl("create", "-f", cluster.file("noowners.yaml", "apiVersion: tenancy.flotilla.dev/v1\n"
                + "kind: Tenant\nmetadata:\n  name: empty\nspec: {}\n").toString()).output())
                .contains("spec.owners: Required value");
        assertThat(cluster.kubectl("create", "-f", cluster.file("badname.yaml", tenant("Not_A_Label", "")).toString())
                .output()).contains("metadata.name: Invalid value: \"Not_A_Label\"");

        HttpResponse<String> status = cluster.admin().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(cluster.url() + "/apis/tenancy.flotilla.dev/v1/tenants"))
                .header("Content-Type", "application/yaml").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        Files.readString(file))).build());
        assertThat(status.statusCode()).isEqualTo(422);
        JsonNode body = JSON.readTree(status.body());
        assertThat(body.path("reason").asText()).isEqualTo("Invalid");
        assertThat(body.path("details").path("causes").size()).isGreaterThanOrEqualTo(5);
        assertThat(body.path("details").path("causes").get(0).path("reason").asText()).startsWith("FieldValue");
    }

    @Test
    void aStaleResourceVersionIsAConflictAndWatchesResume() throws Exception {
        ok("create", "-f", cluster.file("initech.yaml", tenant("initech", "")).toString());
        JsonNode first = JSON.readTree(ok("get", "tenant", "initech", "-o", "json").output());
        String staleVersion = first.path("metadata").path("resourceVersion").asText();
        ok("label", "tenant", "initech", "tier=gold");
        Path stale = cluster.file("stale.json", first.toString());
        assertThat(cluster.kubectl("replace", "-f", stale.toString()).output())
                .contains("Operation cannot be fulfilled on tenants.tenancy.flotilla.dev \"initech\": the object has been "
                        + "modified; please apply your changes to the latest version and try again");

        ok("create", "-f", cluster.file("hooli.yaml", tenant("hooli", "")).toString());
        ok("delete", "tenant", "hooli");
        HttpResponse<String> watch = cluster.admin().get("/apis/tenancy.flotilla.dev/v1/tenants?watch=1&timeoutSeconds=2"
                + "&resourceVersion=" + staleVersion);
        assertThat(watch.statusCode()).isEqualTo(200);
        assertThat(watch.body().lines().map(line -> read(line).path("type").asText() + " "
                + read(line).path("object").path("metadata").path("name").asText()).toList())
                // (the tenant reconciler may write initech's status in between)
                .startsWith("MODIFIED initech").containsSubsequence("MODIFIED initech", "ADDED hooli", "DELETED hooli");

        try (RunningKubectl watching = RunningKubectl.start(cluster.kubeconfig(), "get", "tenants", "--watch-only",
                "-o", "name")) {
            Await.until(Duration.ofSeconds(30), "the watch is open", () -> {
                ok("label", "tenant", "initech", "--overwrite", "ping=" + System.nanoTime());
                try {
                    watching.awaitLine(Duration.ofSeconds(2), line -> line.equals("tenant.tenancy.flotilla.dev/initech"));
                    return true;
                } catch (AssertionError e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void rbacDecidesWhoMayReadTenants() {
        Path nobody = cluster.kubeconfigFor("nobody", "dev");
        assertThat(cluster.kubectlWith(nobody, "get", "tenants").output())
                .contains("tenants.tenancy.flotilla.dev is forbidden: User \"nobody\" cannot list resource \"tenants\" "
                        + "in API group \"tenancy.flotilla.dev\" at the cluster scope");
        assertThat(cluster.kubectl("auth", "can-i", "create", "tenants.tenancy.flotilla.dev", "--as", "nobody")
                .output().trim()).endsWith("no");
    }

    @Test
    void postgresOutageMakesOnlyTenantsUnavailable() {
        ok("create", "-f", cluster.file("umbrella.yaml", tenant("umbrella", "")).toString());
        cluster.postgresServer().stop();
        try {
            Command.Result down = cluster.kubectl("get", "tenants", "--request-timeout=40s");
            assertThat(down.exitCode()).isNotZero();
            assertThat(down.output()).contains("Error from server (ServiceUnavailable)")
                    .contains("tenants.tenancy.flotilla.dev are unavailable: PostgreSQL");
            ok("get", "namespaces", "kube-system");
            ok("create", "configmap", "still-works", "-n", "default");
        } finally {
            cluster.postgresServer().startAgain();
        }
        Await.until(Duration.ofSeconds(60), "tenants served again",
                () -> cluster.kubectl("get", "tenant", "umbrella").exitCode() == 0);
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Command.Result ok(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }
}
