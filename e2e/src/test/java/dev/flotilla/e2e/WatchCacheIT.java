package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.HttpsClient;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lists and watches served from the API server's watch cache, with upstream's resourceVersion
 * semantics, over HTTPS as kubectl and client-go send them.
 */
class WatchCacheIT {

    private static final String NS = "cache";
    private static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ControlPlane cluster;
    private static HttpsClient http;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        http = cluster.admin();
        cluster.kubectl("create", "namespace", NS).assertSuccess();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aListWithoutResourceVersionSeesEveryWriteAcknowledgedBeforeIt() throws Exception {
        for (int i = 0; i < 20; i++) {
            String name = "ryw-" + i;
            assertThat(create(name).statusCode()).isEqualTo(201);
            assertThat(names(get(CONFIGMAPS))).contains(name);
        }
        // A write this server did not make (another API server on the same etcd) is seen as well.
        try (Client etcd = Client.builder().endpoints(cluster.etcdEndpoint()).build()) {
            String object = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"elsewhere\","
                    + "\"namespace\":\"" + NS + "\",\"uid\":\"1d0c3c6e-0000-4000-8000-000000000001\","
                    + "\"creationTimestamp\":\"2026-01-01T00:00:00Z\"}}";
            etcd.getKVClient().put(bytes("/registry/core/configmaps/" + NS + "/elsewhere"), bytes(object))
                    .get(10, TimeUnit.SECONDS);
        }
        assertThat(names(get(CONFIGMAPS))).contains("elsewhere");
    }

    @Test
    void resourceVersionsOfListsFollowUpstream() throws Exception {
        HttpResponse<String> first = create("rv-a");
        long revisionA = Long.parseLong(JSON.readTree(first.body()).at("/metadata/resourceVersion").asText());
        create("rv-b");

        // NotOlderThan a revision the server has: served, at that revision or later.
        JsonNode notOlder = body(get(CONFIGMAPS + "?resourceVersion=" + revisionA + "&resourceVersionMatch=NotOlderThan"));
        assertThat(names(notOlder)).contains("rv-a", "rv-b");
        assertThat(notOlder.at("/metadata/resourceVersion").asLong()).isGreaterThanOrEqualTo(revisionA);

        // Exact: the state at that revision, read from etcd.
        JsonNode exact = body(get(CONFIGMAPS + "?resourceVersion=" + revisionA + "&resourceVersionMatch=Exact"));
        assertThat(names(exact)).contains("rv-a").doesNotContain("rv-b");
        assertThat(exact.at("/metadata/resourceVersion").asLong()).isEqualTo(revisionA);

        // resourceVersion=0 serves the whole list from the cache, ignoring limit, as upstream.
        JsonNode any = body(get(CONFIGMAPS + "?resourceVersion=0&limit=1"));
        assertThat(any.path("items").size()).isGreaterThan(1);
        assertThat(any.at("/metadata/continue").isMissingNode()).isTrue();

        // A limit without resourceVersion pages through etcd.
        JsonNode page = body(get(CONFIGMAPS + "?limit=1"));
        assertThat(page.path("items").size()).isEqualTo(1);
        assertThat(page.at("/metadata/continue").asText()).isNotEmpty();

        // A revision the cluster has not reached: upstream's 504 after the wait.
        long future = revisionA + 1_000_000;
        HttpResponse<String> tooLarge = get(CONFIGMAPS + "?resourceVersion=" + future);
        assertThat(tooLarge.statusCode()).isEqualTo(504);
        JsonNode status = JSON.readTree(tooLarge.body());
        assertThat(status.path("reason").asText()).isEqualTo("Timeout");
        assertThat(status.path("message").asText()).startsWith("Timeout: Too large resource version: " + future + ", current: ");
        assertThat(status.at("/details/causes/0/reason").asText()).isEqualTo("ResourceVersionTooLarge");
    }

    @Test
    void badCombinationsOfListOptionsAreRejectedAsUpstream() throws Exception {
        assertInvalid(get(CONFIGMAPS + "?resourceVersionMatch=NotOlderThan"),
                "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
        assertInvalid(get(CONFIGMAPS + "?resourceVersion=0&resourceVersionMatch=Exact"),
                "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
        assertInvalid(get(CONFIGMAPS + "?resourceVersion=1&resourceVersionMatch=Newest"),
                "resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"");
        assertInvalid(get(CONFIGMAPS + "?sendInitialEvents=true"),
                "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list");
        assertInvalid(get(CONFIGMAPS + "?watch=true&resourceVersionMatch=NotOlderThan"),
                "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
        HttpResponse<String> notANumber = get(CONFIGMAPS + "?resourceVersion=abc");
        assertThat(notANumber.statusCode()).isEqualTo(400);
    }

    @Test
    void watchesStartFromTheCacheWithInitialEventsAndResumeFromAResourceVersion() throws Exception {
        create("w-1");
        HttpResponse<String> listed = get(CONFIGMAPS + "?labelSelector=watched%3Dyes");
        long listRevision = body(listed).at("/metadata/resourceVersion").asLong();
        create("w-2", "yes");
        create("w-3", "no");

        // From a resourceVersion: only the later changes that match the selector.
        List<JsonNode> resumed = watch("?watch=true&timeoutSeconds=2&labelSelector=watched%3Dyes&resourceVersion="
                + listRevision);
        assertThat(resumed).extracting(e -> e.path("type").asText() + " " + e.at("/object/metadata/name").asText())
                .containsExactly("ADDED w-2");

        // sendInitialEvents: the current state as ADDED, then the bookmark that ends it.
        List<JsonNode> initial = watch("?watch=true&timeoutSeconds=2&sendInitialEvents=true"
                + "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&labelSelector=watched");
        assertThat(initial).extracting(e -> e.path("type").asText() + " " + e.at("/object/metadata/name").asText())
                .startsWith("ADDED w-2", "ADDED w-3");
        JsonNode bookmark = initial.get(2);
        assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
        assertThat(bookmark.at("/object/metadata/annotations/k8s.io~1initial-events-end").asText()).isEqualTo("true");
    }

    @Test
    void aWatchFromACompactedRevisionEndsWith410() throws Exception {
        get(CONFIGMAPS);
        long old = Long.parseLong(JSON.readTree(create("gone-1").body()).at("/metadata/resourceVersion").asText());
        long now = Long.parseLong(JSON.readTree(create("gone-2").body()).at("/metadata/resourceVersion").asText());
        try (Client etcd = Client.builder().endpoints(cluster.etcdEndpoint()).build()) {
            etcd.getKVClient().compact(now).get(10, TimeUnit.SECONDS);
        }
        // The cache's ring still holds the change after `old`, so that watch is served...
        List<JsonNode> fromRing = watch("?watch=true&timeoutSeconds=1&resourceVersion=" + old);
        assertThat(fromRing).extracting(e -> e.at("/object/metadata/name").asText()).contains("gone-2");
        // ...but a revision from before the cache started is in neither the ring nor etcd.
        List<JsonNode> expired = watch("?watch=true&timeoutSeconds=1&resourceVersion=1");
        assertThat(expired).hasSize(1);
        assertThat(expired.get(0).path("type").asText()).isEqualTo("ERROR");
        assertThat(expired.get(0).at("/object/code").asInt()).isEqualTo(410);
        assertThat(expired.get(0).at("/object/message").asText()).startsWith("too old resource version: 1 (");
    }

    private static void assertInvalid(HttpResponse<String> response, String cause) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode status = JSON.readTree(response.body());
        assertThat(status.path("reason").asText()).isEqualTo("Invalid");
        assertThat(status.path("message").asText()).isEqualTo("ListOptions.meta.k8s.io \"\" is invalid: " + cause);
    }

    private static HttpResponse<String> create(String name) {
        return create(name, null);
    }

    private static HttpResponse<String> create(String name, String watched) {
        String labels = watched == null ? "" : ",\"labels\":{\"watched\":\"" + watched + "\"}";
        return http.send(HttpRequest.newBuilder(URI.create(cluster.url() + CONFIGMAPS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                        + "\"metadata\":{\"name\":\"" + name + "\"" + labels + "}}"))
                .build());
    }

    private static HttpResponse<String> get(String path) {
        return http.send(HttpRequest.newBuilder(URI.create(cluster.url() + path)).timeout(Duration.ofSeconds(20))
                .GET().build());
    }

    private static List<JsonNode> watch(String query) throws Exception {
        HttpResponse<String> response = get(CONFIGMAPS + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank()) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> names(HttpResponse<String> response) throws Exception {
        return names(body(response));
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("items").forEach(item -> names.add(item.at("/metadata/name").asText()));
        return names;
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
