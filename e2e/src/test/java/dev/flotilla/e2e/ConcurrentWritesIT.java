package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.server.FlotillaServer;
import dev.flotilla.testsupport.HttpsClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-modify-write requests racing each other, on one API server and across two (whose watch
 * caches lag each other's writes): patches, unconditional updates and deletes start from the
 * cache's copy and are retried on the live object, so none is lost and none fails for a stale read;
 * conditional updates stay exact.
 */
class ConcurrentWritesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
    private static ControlPlane cluster;
    private static FlotillaServer second;
    private static HttpsClient first;
    private static HttpsClient other;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        second = cluster.startAnotherServer();
        first = cluster.admin();
        other = cluster.admin(second);
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrentMergePatchesThroughTwoServersAreAllKept() throws Exception {
        create("hot", "{}");
        int writers = 16;
        int each = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                results.add(pool.submit(() -> {
                    List<Integer> codes = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        HttpsClient via = (writer + i) % 2 == 0 ? first : other;
                        codes.add(patch(via, "hot", "application/merge-patch+json",
                                "{\"data\":{\"w" + writer + "-" + i + "\":\"x\"}}").statusCode());
                    }
                    return codes;
                }));
            }
            for (Future<List<Integer>> result : results) {
                assertThat(result.get()).as("every patch is applied, none refused for a lost race").containsOnly(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(read(first, "hot").path("data").size()).isEqualTo(writers * each);
    }

    @Test
    void aJsonPatchTestAfterAWriteOnTheOtherServerSeesThatWrite() throws Exception {
        create("counter", "{\"n\":\"0\"}");
        for (int n = 0; n < 40; n++) {
            HttpsClient writer = n % 2 == 0 ? other : first;
            HttpsClient follower = n % 2 == 0 ? first : other;
            HttpResponse<String> bump = patch(writer, "counter", "application/json-patch+json",
                    "[{\"op\":\"test\",\"path\":\"/data/n\",\"value\":\"" + n + "\"},"
                            + "{\"op\":\"replace\",\"path\":\"/data/n\",\"value\":\"" + (n + 1) + "\"}]");
            assertThat(bump.statusCode()).as("step %d: %s", n, bump.body()).isEqualTo(200);
            // At once through the server that did not write: its cache may not have the write yet,
            // and the test operation must then be decided on the live object, not the stale copy.
            HttpResponse<String> check = patch(follower, "counter", "application/json-patch+json",
                    "[{\"op\":\"test\",\"path\":\"/data/n\",\"value\":\"" + (n + 1) + "\"}]");
            assertThat(check.statusCode()).as("step %d: %s", n, check.body()).isEqualTo(200);
        }
        HttpResponse<String> wrong = patch(first, "counter", "application/json-patch+json",
                "[{\"op\":\"test\",\"path\":\"/data/n\",\"value\":\"7\"}]");
        assertThat(wrong.statusCode()).as(wrong.body()).isBetween(400, 499);
        assertThat(read(first, "counter").at("/data/n").asText()).isEqualTo("40");
    }

    @Test
    void conditionalUpdatesLetExactlyOneWriterWinAndUnconditionalOnesAllLand() throws Exception {
        create("contested", "{}");
        JsonNode original = read(first, "contested");
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<HttpResponse<String>>> conditional = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String body = withData(original, "{\"winner\":\"" + w + "\"}", true);
                HttpsClient via = w % 2 == 0 ? first : other;
                conditional.add(pool.submit(() -> put(via, "contested", body)));
            }
            int won = 0;
            for (Future<HttpResponse<String>> result : conditional) {
                HttpResponse<String> response = result.get();
                if (response.statusCode() == 200) {
                    won++;
                } else {
                    assertThat(response.statusCode()).isEqualTo(409);
                    assertThat(response.body()).contains("Operation cannot be fulfilled on configmaps \\\"contested\\\": "
                            + "the object has been modified; please apply your changes to the latest version and try again");
                }
            }
            assertThat(won).as("one writer per resourceVersion").isEqualTo(1);

            List<Future<HttpResponse<String>>> unconditional = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String body = withData(original, "{\"last\":\"" + w + "\"}", false);
                HttpsClient via = w % 2 == 0 ? first : other;
                unconditional.add(pool.submit(() -> put(via, "contested", body)));
            }
            for (Future<HttpResponse<String>> result : unconditional) {
                assertThat(result.get().statusCode()).as(result.get().body()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(read(first, "contested").at("/data/last").asText()).matches("[0-7]");
    }

    @Test
    void aDeletePreconditionOnTheLatestVersionHoldsRightAfterAWriteElsewhere() throws Exception {
        for (int i = 0; i < 10; i++) {
            String name = "gone-" + i;
            create(name, "{}");
            HttpResponse<String> changed = patch(other, name, "application/merge-patch+json", "{\"data\":{\"k\":\"v\"}}");
            assertThat(changed.statusCode()).isEqualTo(200);
            String latest = JSON.readTree(changed.body()).at("/metadata/resourceVersion").asText();
            HttpResponse<String> deleted = first.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + CONFIGMAPS
                    + "/" + name)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                            + "\"preconditions\":{\"resourceVersion\":\"" + latest + "\"}}")).build());
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        }
        HttpResponse<String> missing = patch(first, "gone-0", "application/merge-patch+json", "{\"data\":{\"k\":\"w\"}}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("configmaps \\\"gone-0\\\" not found");
    }

    @Test
    void bindingABoundPodIsAConflictOnPodsBinding() throws Exception {
        HttpResponse<String> node = first.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/api/v1/nodes"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-c\"}}")).build());
        assertThat(node.statusCode()).isEqualTo(201);
        HttpResponse<String> pod = first.send(HttpRequest.newBuilder(URI.create(first.baseUrl()
                        + "/api/v1/namespaces/default/pods")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
                        + "{\"name\":\"pinned\"},\"spec\":{\"schedulerName\":\"nobody\",\"containers\":[{\"name\":\"c\","
                        + "\"image\":\"busybox\"}]}}")).build());
        assertThat(pod.statusCode()).as(pod.body()).isEqualTo(201);
        assertThat(bind(other, "pinned", "node-c").statusCode()).isEqualTo(201);
        HttpResponse<String> again = bind(first, "pinned", "node-d");
        assertThat(again.statusCode()).isEqualTo(409);
        JsonNode status = JSON.readTree(again.body());
        assertThat(status.path("message").asText()).isEqualTo(
                "Operation cannot be fulfilled on pods/binding \"pinned\": pod pinned is already assigned to node \"node-c\"");
        assertThat(status.at("/details/kind").asText()).isEqualTo("pods/binding");
        assertThat(readPath(first, "/api/v1/namespaces/default/pods/pinned").at("/spec/nodeName").asText())
                .isEqualTo("node-c");
    }

    private static HttpResponse<String> bind(HttpsClient via, String pod, String node) {
        return via.send(HttpRequest.newBuilder(URI.create(via.baseUrl() + "/api/v1/namespaces/default/pods/" + pod
                        + "/binding")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":"
                        + "{\"name\":\"" + pod + "\"},\"target\":{\"kind\":\"Node\",\"name\":\"" + node + "\"}}")).build());
    }

    private static void create(String name, String data) {
        HttpResponse<String> created = first.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + CONFIGMAPS))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":"
                                + data + "}")).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static HttpResponse<String> patch(HttpsClient via, String name, String contentType, String body) {
        return via.send(HttpRequest.newBuilder(URI.create(via.baseUrl() + CONFIGMAPS + "/" + name))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> put(HttpsClient via, String name, String body) {
        return via.send(HttpRequest.newBuilder(URI.create(via.baseUrl() + CONFIGMAPS + "/" + name))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String withData(JsonNode original, String data, boolean keepVersion) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode copy = original.deepCopy();
        copy.set("data", JSON.readTree(data));
        if (!keepVersion) {
            copy.with("metadata").remove("resourceVersion");
        }
        return JSON.writeValueAsString(copy);
    }

    private static JsonNode read(HttpsClient via, String name) throws Exception {
        return readPath(via, CONFIGMAPS + "/" + name);
    }

    private static JsonNode readPath(HttpsClient via, String path) throws Exception {
        HttpResponse<String> response = via.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
