package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.HttpsClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RBAC as users see it: kubectl and raw HTTPS as users with client certificates from the cluster CA,
 * bindings made by the admin (system:masters) through kubectl.
 */
class RbacIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        admin("create", "namespace", "team-a");
        admin("create", "namespace", "team-b");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aUserWithoutBindingsIsRefusedInUpstreamWordsButMayDiscover() throws Exception {
        Path nobody = cluster.kubeconfigFor("nobody", "staff");
        Command.Result refused = cluster.kubectlWith(nobody, "get", "pods", "-n", "default");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("Error from server (Forbidden): pods is forbidden: User \"nobody\" "
                + "cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");

        HttpResponse<String> get = cluster.clientAs("nobody").get("/apis/apps/v1/namespaces/default/deployments/web");
        assertThat(get.statusCode()).isEqualTo(403);
        JsonNode status = JSON.readTree(get.body());
        assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
        assertThat(status.path("message").asText()).isEqualTo("deployments.apps \"web\" is forbidden: User \"nobody\" "
                + "cannot get resource \"deployments\" in API group \"apps\" in the namespace \"default\"");
        assertThat(status.path("details").path("kind").asText()).isEqualTo("deployments");
        assertThat(status.path("details").path("group").asText()).isEqualTo("apps");
        assertThat(status.path("details").path("name").asText()).isEqualTo("web");

        Command.Result nodes = cluster.kubectlWith(nobody, "get", "nodes");
        assertThat(nodes.output()).contains("nodes is forbidden: User \"nobody\" cannot list resource \"nodes\" in API "
                + "group \"\" at the cluster scope");
        HttpResponse<String> metrics = cluster.clientAs("nobody").get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(metrics.body()).path("message").asText())
                .isEqualTo("forbidden: User \"nobody\" cannot get path \"/metrics\"");

        // system:discovery, system:public-info-viewer and system:basic-user for every authenticated user.
        assertThat(cluster.kubectlWith(nobody, "api-versions").assertSuccess().output()).contains("apps/v1");
        assertThat(cluster.kubectlWith(nobody, "version").assertSuccess().output()).contains("Server Version");
        assertThat(cluster.clientAs("nobody").get("/readyz").statusCode()).isEqualTo(200);
        assertThat(cluster.kubectlWith(nobody, "auth", "whoami").assertSuccess().output()).contains("nobody");
        assertThat(cluster.kubectlWith(nobody, "auth", "can-i", "list", "pods").output().trim()).isEqualTo("no");
    }

    @Test
    void viewInOneNamespaceAllowsReadingThereOnly() {
        Path alice = cluster.kubeconfigFor("alice");
        admin("create", "configmap", "settings", "-n", "team-a", "--from-literal=a=b");
        admin("create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice", "-n", "team-a");
        Await.until(Duration.ofSeconds(10), "view binding in effect",
                () -> cluster.kubectlWith(alice, "get", "configmaps", "-n", "team-a").exitCode() == 0);
        assertThat(cluster.kubectlWith(alice, "get", "configmap", "settings", "-n", "team-a").assertSuccess().output())
                .contains("settings");
        assertThat(cluster.kubectlWith(alice, "get", "configmaps", "-n", "team-b").output())
                .contains("configmaps is forbidden: User \"alice\" cannot list resource \"configmaps\" in API group \"\" "
                        + "in the namespace \"team-b\"");
        assertThat(cluster.kubectlWith(alice, "delete", "configmap", "settings", "-n", "team-a").output())
                .contains("configmaps \"settings\" is forbidden: User \"alice\" cannot delete resource \"configmaps\"");
        assertThat(cluster.kubectlWith(alice, "get", "secrets", "-n", "team-a").exitCode())
                .as("view does not read secrets").isNotZero();
        assertThat(cluster.kubectlWith(alice, "get", "deployments", "-n", "team-a").exitCode()).isZero();

        String list = cluster.kubectlWith(alice, "auth", "can-i", "--list", "-n", "team-a").assertSuccess().output();
        assertThat(list).containsPattern("configmaps\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]")
                .containsPattern("selfsubjectaccessreviews.authorization.k8s.io\\s+\\[\\]\\s+\\[\\]\\s+\\[create\\]")
                .containsPattern("\\[/api/\\*\\]\\s+\\[\\]\\s+\\[get\\]");
        assertThat(cluster.kubectlWith(alice, "auth", "can-i", "watch", "deployments.apps", "-n", "team-a").output().trim())
                .isEqualTo("yes");
        assertThat(cluster.kubectlWith(alice, "auth", "can-i", "create", "pods", "-n", "team-a").output().trim())
                .isEqualTo("no");
        assertThat(admin("auth", "can-i", "*", "*").output().trim()).as("system:masters").isEqualTo("yes");
    }

    @Test
    void resourceNamesRestrictToNamedObjects() {
        Path bob = cluster.kubeconfigFor("bob");
        admin("create", "configmap", "public", "-n", "team-b", "--from-literal=a=b");
        admin("create", "configmap", "private", "-n", "team-b", "--from-literal=a=b");
        admin("create", "role", "public-only", "--verb=get", "--resource=configmaps", "--resource-name=public",
                "-n", "team-b");
        admin("create", "rolebinding", "bob-public", "--role=public-only", "--user=bob", "-n", "team-b");
        Await.until(Duration.ofSeconds(10), "named binding in effect",
                () -> cluster.kubectlWith(bob, "get", "configmap", "public", "-n", "team-b").exitCode() == 0);
        assertThat(cluster.kubectlWith(bob, "get", "configmap", "private", "-n", "team-b").output())
                .contains("configmaps \"private\" is forbidden: User \"bob\" cannot get resource \"configmaps\"");
        assertThat(cluster.kubectlWith(bob, "get", "configmaps", "-n", "team-b").exitCode()).isNotZero();
    }

    @Test
    void subresourcesAreSeparatePermissions() {
        Path carol = cluster.kubeconfigFor("carol");
        admin("create", "role", "log-reader", "--verb=get", "--resource=pods/log", "-n", "team-b");
        admin("create", "rolebinding", "carol-logs", "--role=log-reader", "--user=carol", "-n", "team-b");
        Await.until(Duration.ofSeconds(10), "log binding in effect", () -> cluster.kubectlWith(carol, "auth", "can-i",
                "get", "pods", "--subresource=log", "-n", "team-b").output().trim().equals("yes"));
        assertThat(cluster.kubectlWith(carol, "auth", "can-i", "get", "pods", "-n", "team-b").output().trim())
                .isEqualTo("no");
        HttpsClient client = cluster.clientAs("carol");
        assertThat(client.get("/api/v1/namespaces/team-b/pods/web").statusCode()).isEqualTo(403);
        assertThat(client.get("/api/v1/namespaces/team-b/pods/web/log").statusCode())
                .as("authorized, then answered by the endpoint").isNotEqualTo(403);
        assertThat(client.get("/api/v1/namespaces/team-b/pods/web/status").body())
                .contains("cannot get resource \\\"pods/status\\\" in API group \\\"\\\" in the namespace \\\"team-b\\\"");
    }

    @Test
    void nonResourceUrlsAreGrantedByClusterRoles() {
        cluster.kubeconfigFor("scraper");
        HttpsClient scraper = cluster.clientAs("scraper");
        assertThat(scraper.get("/metrics").statusCode()).isEqualTo(403);
        admin("create", "clusterrole", "metrics-reader", "--verb=get", "--non-resource-url=/metrics");
        admin("create", "clusterrolebinding", "scraper-metrics", "--clusterrole=metrics-reader", "--user=scraper");
        Await.until(Duration.ofSeconds(10), "metrics readable", () -> scraper.get("/metrics").statusCode() == 200);
        assertThat(scraper.get("/metrics/other").statusCode()).isEqualTo(403);
    }

    @Test
    void escalationIsRefusedUntilEscalateOrBindIsGranted() {
        Path dave = cluster.kubeconfigFor("dave");
        admin("create", "namespace", "esc");
        admin("create", "role", "role-writer", "--verb=get,list,create,update,patch", "--resource=roles,rolebindings",
                "-n", "esc");
        admin("create", "role", "pod-reader", "--verb=get,list", "--resource=pods", "-n", "esc");
        admin("create", "rolebinding", "dave-writer", "--role=role-writer", "--user=dave", "-n", "esc");
        admin("create", "rolebinding", "dave-pods", "--role=pod-reader", "--user=dave", "-n", "esc");
        Await.until(Duration.ofSeconds(10), "dave's bindings in effect", () -> cluster.kubectlWith(dave, "auth",
                "can-i", "list", "pods", "-n", "esc").output().trim().equals("yes"));

        assertThat(cluster.kubectlWith(dave, "create", "role", "readers", "--verb=get", "--resource=pods", "-n", "esc")
                .assertSuccess().output()).contains("created");
        Command.Result escalating = cluster.kubectlWith(dave, "create", "role", "deleters", "--verb=get,delete",
                "--resource=pods", "-n", "esc");
        assertThat(escalating.exitCode()).isNotZero();
        assertThat(escalating.output()).contains("roles.rbac.authorization.k8s.io \"deleters\" is forbidden: user \"dave\" "
                + "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
                + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}");
        Command.Result binding = cluster.kubectlWith(dave, "create", "rolebinding", "dave-edit", "--clusterrole=edit",
                "--user=dave", "-n", "esc");
        assertThat(binding.output()).contains("rolebindings.rbac.authorization.k8s.io \"dave-edit\" is forbidden: user "
                + "\"dave\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held");
        assertThat(cluster.kubectlWith(dave, "create", "rolebinding", "dave-readers", "--role=readers", "--user=dave",
                "-n", "esc").assertSuccess().output()).contains("created");

        admin("create", "role", "escalator", "--verb=escalate", "--resource=roles", "-n", "esc");
        admin("create", "rolebinding", "dave-escalate", "--role=escalator", "--user=dave", "-n", "esc");
        Await.until(Duration.ofSeconds(10), "escalate granted", () -> cluster.kubectlWith(dave, "create", "role",
                "deleters", "--verb=get,delete", "--resource=pods", "-n", "esc").exitCode() == 0);

        admin("create", "clusterrole", "bind-edit", "--verb=bind", "--resource=clusterroles", "--resource-name=edit");
        admin("create", "rolebinding", "dave-bind-edit", "--clusterrole=bind-edit", "--user=dave", "-n", "esc");
        Await.until(Duration.ofSeconds(10), "bind granted", () -> cluster.kubectlWith(dave, "create", "rolebinding",
                "dave-edit", "--clusterrole=edit", "--user=dave", "-n", "esc").exitCode() == 0);
        assertThat(cluster.kubectlWith(dave, "create", "rolebinding", "dave-admin", "--clusterrole=admin",
                "--user=dave", "-n", "esc").exitCode()).as("bind covers only the named role").isNotZero();
    }

    @Test
    void aNewBindingTakesEffectWithinOneSecond() throws Exception {
        cluster.kubeconfigFor("erin");
        HttpsClient erin = cluster.clientAs("erin");
        String path = "/api/v1/namespaces/team-b/services";
        assertThat(erin.get(path).statusCode()).isEqualTo(403);
        String binding = """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
                 "metadata":{"name":"erin-view","namespace":"team-b"},
                 "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
                 "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"erin"}]}""";
        HttpResponse<String> created = cluster.admin().send(HttpRequest.newBuilder(
                        URI.create(cluster.url() + "/apis/rbac.authorization.k8s.io/v1/namespaces/team-b/rolebindings"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(binding)).build());
        assertThat(created.statusCode()).isEqualTo(201);
        Duration took = Await.until(Duration.ofSeconds(1), "binding effective within 1 s",
                () -> erin.get(path).statusCode() == 200);
        System.out.println("new RoleBinding effective after " + took.toMillis() + " ms");
    }

    @Test
    void accessReviewsAnswerFromTheSamePolicy() throws Exception {
        admin("create", "rolebinding", "frank-edit", "--clusterrole=edit", "--user=frank", "-n", "team-a");
        String review = """
                {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview",
                 "spec":{"user":"frank","groups":["system:authenticated"],
                         "resourceAttributes":{"namespace":"team-a","verb":"create","group":"apps","resource":"deployments"}}}""";
        Await.until(Duration.ofSeconds(10), "frank may create deployments",
                () -> post("/apis/authorization.k8s.io/v1/subjectaccessreviews", review).path("status")
                        .path("allowed").asBoolean());
        JsonNode answer = post("/apis/authorization.k8s.io/v1/subjectaccessreviews", review).path("status");
        assertThat(answer.path("reason").asText())
                .isEqualTo("RBAC: allowed by RoleBinding \"frank-edit/team-a\" of ClusterRole \"edit\" to User \"frank\"");
        JsonNode elsewhere = post("/apis/authorization.k8s.io/v1/namespaces/team-b/localsubjectaccessreviews",
                review.replace("SubjectAccessReview", "LocalSubjectAccessReview").replace("team-a", "team-b"));
        assertThat(elsewhere.path("status").path("allowed").asBoolean()).isFalse();
        // Aggregation: admin holds edit's and view's rules, edit holds view's.
        JsonNode adminRole = JSON.readTree(admin("get", "clusterrole", "admin", "-o", "json").output());
        assertThat(adminRole.path("rules").toString()).contains("rolebindings", "deployments", "configmaps");
    }

    @Test
    void decisionsSurviveAnApiServerRestart() {
        Path grace = cluster.kubeconfigFor("grace");
        admin("create", "rolebinding", "grace-view", "--clusterrole=view", "--user=grace", "-n", "team-a");
        Await.until(Duration.ofSeconds(10), "grace's binding in effect",
                () -> cluster.kubectlWith(grace, "get", "pods", "-n", "team-a").exitCode() == 0);
        cluster.restartServer();
        assertThat(cluster.kubectlWith(grace, "get", "pods", "-n", "team-a").exitCode()).isZero();
        assertThat(cluster.kubectlWith(grace, "get", "pods", "-n", "team-b").exitCode()).isNotZero();
        assertThat(admin("get", "clusterrolebindings", "cluster-admin", "-o", "name").output().trim())
                .isEqualTo("clusterrolebinding.rbac.authorization.k8s.io/cluster-admin");
    }

    private static JsonNode post(String path, String body) {
        try {
            HttpResponse<String> response = cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url() + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Command.Result admin(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }
}
