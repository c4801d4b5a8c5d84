package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pods/eviction against PodDisruptionBudgets, through the fabric8 client (as drain tools use it) and raw HTTP. */
class PodEvictionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "evict";
    private static ControlPlane cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        // The API server's side alone: these tests write budget status themselves, which the
        // disruption controller would overwrite (DisruptionBudgetsIT covers the two together).
        cluster = ControlPlane.start("--flotilla.controllers.enabled=false");
        client = cluster.fabric8Client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(client, cluster);
    }

    @Test
    void aBudgetWithNoDisruptionsLeftRefusesWith429UntilItAllowsOne() throws Exception {
        budget("web-pdb", "web", 0, 2, 2);
        runningPod("web-1", "web");

        assertThat(client.pods().inNamespace(NS).withName("web-1").evict()).isFalse();
        HttpResponse<String> refused = evict("web-1", "{}");
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode status = JSON.readTree(refused.body());
        assertThat(status.path("reason").asText()).isEqualTo("TooManyRequests");
        assertThat(status.path("message").asText())
                .isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
        assertThat(status.at("/details/causes/0/reason").asText()).isEqualTo("DisruptionBudget");
        assertThat(status.at("/details/causes/0/message").asText())
                .isEqualTo("The disruption budget web-pdb needs 2 healthy pods and has 2 currently");
        assertThat(client.pods().inNamespace(NS).withName("web-1").get()).isNotNull();

        setBudgetStatus("web-pdb", 1, 2, 3);
        assertThat(client.pods().inNamespace(NS).withName("web-1").evict()).isTrue();
        assertThat(client.pods().inNamespace(NS).withName("web-1").get()).isNull();
        JsonNode budget = get("/apis/policy/v1/namespaces/" + NS + "/poddisruptionbudgets/web-pdb");
        assertThat(budget.at("/status/disruptionsAllowed").asInt()).isZero();
        assertThat(budget.at("/status/disruptedPods/web-1").isTextual()).isTrue();
        assertThat(budget.at("/status/conditions/0/type").asText()).isEqualTo("DisruptionAllowed");
        assertThat(budget.at("/status/conditions/0/status").asText()).isEqualTo("False");
        assertThat(budget.at("/status/conditions/0/reason").asText()).isEqualTo("InsufficientPods");
    }

    @Test
    void pendingPodsGoWithoutAskingTheBudgetAndDeleteOptionsApply() throws Exception {
        budget("queue-pdb", "queue", 0, 1, 1);
        client.pods().inNamespace(NS).resource(pod("queue-1", "queue")).create();
        HttpResponse<String> wrongUid = evict("queue-1", "{\"deleteOptions\":{\"preconditions\":{\"uid\":\"nope\"}}}");
        assertThat(wrongUid.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(wrongUid.body()).path("message").asText()).contains("Precondition failed: UID in precondition: nope");
        HttpResponse<String> evicted = evict("queue-1", "{}");
        assertThat(evicted.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(evicted.body()).path("status").asText()).isEqualTo("Success");
        assertThat(client.pods().inNamespace(NS).withName("queue-1").get()).isNull();
    }

    @Test
    void concurrentEvictionsTakeExactlyTheAllowedDisruptions() throws Exception {
        budget("batch-pdb", "batch", 2, 3, 5);
        for (int i = 0; i < 6; i++) {
            runningPod("batch-" + i, "batch");
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String name = "batch-" + i;
                codes.add(pool.submit(() -> evict(name, "{}").statusCode()));
            }
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> code : codes) {
                results.add(code.get());
            }
            assertThat(results.stream().filter(c -> c == 201).count()).as(results.toString()).isEqualTo(2);
            assertThat(results.stream().filter(c -> c == 429).count()).as(results.toString()).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }
        JsonNode budget = get("/apis/policy/v1/namespaces/" + NS + "/poddisruptionbudgets/batch-pdb");
        assertThat(budget.at("/status/disruptionsAllowed").asInt()).isZero();
        assertThat(budget.at("/status/disruptedPods").size()).isEqualTo(2);
        assertThat(client.pods().inNamespace(NS).withLabel("app", "batch").list().getItems()).hasSize(4);
    }

    @Test
    void unprocessedBudgetsOverlappingBudgetsAndBadRequestsGetUpstreamAnswers() throws Exception {
        budget("fresh-pdb", "fresh", 1, 1, 1);
        patch("/apis/policy/v1/namespaces/" + NS + "/poddisruptionbudgets/fresh-pdb",
                "{\"spec\":{\"minAvailable\":2}}");
        runningPod("fresh-1", "fresh");
        HttpResponse<String> processing = evict("fresh-1", "{}");
        assertThat(processing.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(processing.body()).at("/details/causes/0/message").asText())
                .isEqualTo("The disruption budget fresh-pdb is still being processed by the server.");

        budget("both-a", "both", 1, 1, 1);
        budget("both-b", "both", 1, 1, 1);
        runningPod("both-1", "both");
        HttpResponse<String> two = evict("both-1", "{}");
        assertThat(two.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(two.body()).path("message").asText()).isEqualTo("Internal error occurred: This pod has "
                + "more than one PodDisruptionBudget, which the eviction subresource does not support.");

        assertThat(evict("both-1", "{\"metadata\":{\"name\":\"other\"}}").statusCode()).isEqualTo(400);
        HttpResponse<String> missing = evict("ghost", "{}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("message").asText()).isEqualTo("pods \"ghost\" not found");
    }

    private static void runningPod(String name, String app) {
        client.pods().inNamespace(NS).resource(pod(name, app)).create();
        patch("/api/v1/namespaces/" + NS + "/pods/" + name + "/status", "{\"status\":{\"phase\":\"Running\"}}");
    }

    private static io.fabric8.kubernetes.api.model.Pod pod(String name, String app) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
    }

    private static void budget(String name, String app, int allowed, int desired, int current) {
        HttpResponse<String> created = cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url()
                + "/apis/policy/v1/namespaces/" + NS + "/poddisruptionbudgets")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\","
                        + "\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"minAvailable\":1,"
                        + "\"selector\":{\"matchLabels\":{\"app\":\"" + app + "\"}}}}")).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        setBudgetStatus(name, allowed, desired, current);
    }

    /** What the disruption controller would write. */
    private static void setBudgetStatus(String name, int allowed, int desired, int current) {
        patch("/apis/policy/v1/namespaces/" + NS + "/poddisruptionbudgets/" + name + "/status",
                "{\"status\":{\"observedGeneration\":1,\"disruptionsAllowed\":" + allowed + ",\"desiredHealthy\":"
                        + desired + ",\"currentHealthy\":" + current + ",\"expectedPods\":" + current + "}}");
    }

    private static void patch(String path, String body) {
        HttpResponse<String> response = cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url() + path))
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static HttpResponse<String> evict(String pod, String body) {
        ObjectMapper mapper = JSON;
        String eviction;
        try {
            JsonNode node = mapper.readTree(body);
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("apiVersion", "policy/v1").put("kind", "Eviction");
            eviction = mapper.writeValueAsString(node);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/namespaces/" + NS
                + "/pods/" + pod + "/eviction")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(eviction)).build());
    }

    private static JsonNode get(String path) throws Exception {
        return JSON.readTree(cluster.admin().get(path).body());
    }
}
