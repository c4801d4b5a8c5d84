package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Impersonation headers through kubectl --as / --as-group / --as-uid, gated by RBAC's impersonate verb. */
class ImpersonationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ControlPlane cluster;
    private static Path alice;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        alice = cluster.kubeconfigFor("alice", "dev");
        ok(cluster.kubectl("create", "namespace", "team"));
        ok(cluster.kubectl("create", "rolebinding", "bob-view", "-n", "team", "--clusterrole=view", "--user=bob"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void impersonatingNeedsTheImpersonateVerbOnEachUserAndGroup() {
        assertThat(cluster.kubectlWith(alice, "--as", "bob", "get", "configmaps", "-n", "team").output())
                .contains("users \"bob\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group"
                        + " \"\" at the cluster scope");

        ok(cluster.kubectl("create", "clusterrole", "impersonate-bob", "--verb=impersonate", "--resource=users",
                "--resource-name=bob"));
        ok(cluster.kubectl("create", "clusterrole", "impersonate-viewers", "--verb=impersonate", "--resource=groups",
                "--resource-name=viewers"));
        ok(cluster.kubectl("create", "clusterrolebinding", "alice-bob", "--clusterrole=impersonate-bob", "--user=alice"));
        ok(cluster.kubectl("create", "clusterrolebinding", "alice-viewers", "--clusterrole=impersonate-viewers",
                "--user=alice"));
        Await.until(Duration.ofSeconds(10), "the impersonation grant takes effect",
                () -> cluster.kubectlWith(alice, "--as", "bob", "auth", "whoami").exitCode() == 0);

        assertThat(ok(cluster.kubectlWith(alice, "--as", "bob", "auth", "whoami")).output())
                .containsPattern("Username\\s+bob").contains("[system:authenticated]");
        assertThat(ok(cluster.kubectlWith(alice, "--as", "bob", "--as-group", "viewers", "auth", "whoami")).output())
                .contains("[viewers system:authenticated]");
        ok(cluster.kubectlWith(alice, "--as", "bob", "get", "configmaps", "-n", "team"));
        assertThat(cluster.kubectlWith(alice, "--as", "bob", "create", "configmap", "x", "-n", "team").output())
                .contains("User \"bob\" cannot create resource \"configmaps\"");

        assertThat(cluster.kubectlWith(alice, "--as", "carol", "get", "configmaps", "-n", "team").output())
                .contains("users \"carol\" is forbidden: User \"alice\" cannot impersonate resource \"users\"");
        assertThat(cluster.kubectlWith(alice, "--as", "bob", "--as-group", "system:masters", "get", "nodes").output())
                .contains("groups \"system:masters\" is forbidden: User \"alice\" cannot impersonate resource \"groups\"");
        assertThat(cluster.kubectlWith(alice, "--as", "bob", "--as-uid", "42", "get", "configmaps", "-n", "team").output())
                .contains("uids.authentication.k8s.io \"42\" is forbidden: User \"alice\" cannot impersonate resource"
                        + " \"uids\" in API group \"authentication.k8s.io\"");
    }

    @Test
    void aServiceAccountUserGetsItsGroupsAndUidAndExtrasPassThrough() throws Exception {
        assertThat(ok(cluster.kubectl("--as", "system:serviceaccount:team:robot", "--as-uid", "u-1", "auth", "whoami"))
                .output()).containsPattern("Username\\s+system:serviceaccount:team:robot").containsPattern("UID\\s+u-1")
                .contains("[system:serviceaccounts system:serviceaccounts:team system:authenticated]");

        JsonNode review = JSON.readTree(whoami(HttpRequest.newBuilder()
                .header("Impersonate-User", "bob").header("Impersonate-Extra-Scopes%2fteam", "view")).body());
        assertThat(review.at("/status/userInfo/extra").toString()).isEqualTo("{\"scopes/team\":[\"view\"]}");

        HttpResponse<String> groupOnly = whoami(HttpRequest.newBuilder().header("Impersonate-Group", "viewers"));
        assertThat(groupOnly.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(groupOnly.body()).path("message").asText())
                .contains("without impersonating a user");
    }

    private static HttpResponse<String> whoami(HttpRequest.Builder builder) {
        return cluster.admin().send(builder.uri(URI.create(cluster.url()
                + "/apis/authentication.k8s.io/v1/selfsubjectreviews")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}")).build());
    }

    private static Command.Result ok(Command.Result result) {
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }
}
