package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Command;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pods/ephemeralcontainers as {@code kubectl debug} uses it, and its rules through raw HTTP. */
class EphemeralContainersIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POD = "/api/v1/namespaces/debug/pods/raw";
    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        cluster.kubectl("create", "namespace", "debug").assertSuccess();
        cluster.kubectl("apply", "-n", "debug", "-f", cluster.file("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers: [{name: app, image: nginx:1.27}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: raw}
                spec:
                  containers: [{name: app, image: nginx:1.27}]
                """).toString()).assertSuccess();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void kubectlDebugAddsAnEphemeralContainerToThePod() throws Exception {
        Command.Result debug = cluster.kubectl("debug", "web", "-n", "debug", "--image=busybox:1.36", "--target=app");
        assertThat(debug.exitCode()).as(debug.output()).isZero();
        assertThat(debug.output()).contains("Defaulting debug container name to debugger-");
        JsonNode pod = JSON.readTree(cluster.kubectl("get", "pod", "web", "-n", "debug", "-o", "json")
                .assertSuccess().output());
        JsonNode added = pod.at("/spec/ephemeralContainers/0");
        assertThat(added.path("image").asText()).isEqualTo("busybox:1.36");
        assertThat(added.path("targetContainerName").asText()).isEqualTo("app");
        assertThat(added.path("name").asText()).startsWith("debugger-");
        assertThat(added.path("terminationMessagePolicy").asText()).isEqualTo("File");

        Command.Result second = cluster.kubectl("debug", "web", "-n", "debug", "--image=busybox", "-c", "shell");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(cluster.kubectl("get", "pod", "web", "-n", "debug", "-o",
                "jsonpath={.spec.ephemeralContainers[*].name}").output()).contains(added.path("name").asText())
                .contains("shell");

        Command.Result badTarget = cluster.kubectl("debug", "web", "-n", "debug", "--image=busybox", "--target=nope");
        assertThat(badTarget.exitCode()).isNotZero();
        assertThat(badTarget.output()).contains("spec.ephemeralContainers[2].targetContainerName: Not found: \"nope\"");
    }

    @Test
    void existingContainersCannotChangeOrGoAndOtherFieldsAreIgnored() throws Exception {
        HttpResponse<String> add = patch("{\"spec\":{\"ephemeralContainers\":[{\"name\":\"probe\",\"image\":\"busybox\"}]},"
                + "\"metadata\":{\"labels\":{\"sneaky\":\"yes\"}}}");
        assertThat(add.statusCode()).as(add.body()).isEqualTo(200);
        JsonNode pod = JSON.readTree(add.body());
        assertThat(pod.at("/metadata/labels/sneaky").isMissingNode()).isTrue();
        assertThat(pod.at("/spec/ephemeralContainers").toString()).contains("\"probe\"");

        JsonNode current = JSON.readTree(cluster.admin().get(POD + "/ephemeralcontainers").body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) current.path("spec")).putArray("ephemeralContainers");
        HttpResponse<String> removed = put(current.toString());
        assertThat(removed.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(removed.body()).path("message").asText())
                .contains("spec.ephemeralContainers: Forbidden: existing ephemeral containers \"probe\" may not be removed");

        HttpResponse<String> changed = patch("{\"spec\":{\"ephemeralContainers\":[{\"name\":\"probe\",\"image\":\"alpine\"}]}}");
        assertThat(changed.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(changed.body()).path("message").asText())
                .contains("spec.ephemeralContainers[probe]: Forbidden: existing ephemeral containers \"probe\" may not be changed");

        HttpResponse<String> invalid = patch("{\"spec\":{\"ephemeralContainers\":[{\"name\":\"app\",\"image\":\"busybox\","
                + "\"ports\":[{\"containerPort\":80}],\"readinessProbe\":{\"exec\":{\"command\":[\"true\"]}}}]}}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        JsonNode status = JSON.readTree(invalid.body());
        assertThat(status.path("message").asText()).startsWith("Pod \"raw\" is invalid: [")
                .contains("name: Duplicate value: \"app\"")
                .contains("ports: Forbidden: cannot be set for an Ephemeral Container")
                .contains("readinessProbe: Forbidden: cannot be set for an Ephemeral Container");
    }

    private static HttpResponse<String> patch(String body) {
        return cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url() + POD + "/ephemeralcontainers"))
                .header("Content-Type", "application/strategic-merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> put(String body) {
        return cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url() + POD + "/ephemeralcontainers"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
