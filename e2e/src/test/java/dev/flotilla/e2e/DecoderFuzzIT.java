package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of mutated request bodies (bit flips, truncation, wrong types, deep nesting, random
 * protobuf, YAML) sent to create, replace and patch endpoints: every answer must be a client error
 * or a success, never a 5xx, and the server must stay ready. The seed is fixed so a failure
 * reproduces.
 */
class DecoderFuzzIT {

    private static final long SEED = 20261122L;
    private static final int BODIES = 2000;
    private static ControlPlane cluster;

    private static final List<String> VALID = List.of(
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"fuzz\",\"labels\":{\"a\":\"b\"}},"
                    + "\"data\":{\"k\":\"v\"}}",
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"fuzz\"},\"spec\":{\"replicas\":1,"
                    + "\"selector\":{\"matchLabels\":{\"app\":\"f\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"f\"}},"
                    + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"ports\":[{\"containerPort\":80}]}]}}}}",
            "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"fuzz\"},\"spec\":{\"type\":\"NodePort\","
                    + "\"ports\":[{\"port\":80,\"targetPort\":\"http\"}]}}",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"fuzz\"},\"spec\":{\"containers\":[{\"name\":\"c\","
                    + "\"image\":\"i\",\"resources\":{\"limits\":{\"cpu\":\"1\"}}}]}}");
    private static final Map<String, String> COLLECTIONS = Map.of(
            "ConfigMap", "/api/v1/namespaces/default/configmaps",
            "Deployment", "/apis/apps/v1/namespaces/default/deployments",
            "Service", "/api/v1/namespaces/default/services",
            "Pod", "/api/v1/namespaces/default/pods");

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        for (String body : VALID) {
            post(collectionOf(body), body, "application/json");
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void mutatedBodiesNeverCauseA5xx() throws Exception {
        Random random = new Random(SEED);
        List<Callable> requests = new ArrayList<>();
        for (int i = 0; i < BODIES; i++) {
            String original = VALID.get(random.nextInt(VALID.size()));
            byte[] body = mutate(original.getBytes(StandardCharsets.UTF_8), random);
            String collection = collectionOf(original);
            String contentType = List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf",
                    "application/merge-patch+json", "application/strategic-merge-patch+json",
                    "application/json-patch+json", "text/plain").get(random.nextInt(7));
            int verb = random.nextInt(3);
            int index = i;
            requests.add(() -> {
                HttpRequest.Builder builder = HttpRequest.newBuilder().header("Content-Type", contentType);
                switch (verb) {
                    case 0 -> builder.uri(URI.create(cluster.url() + collection)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
                    case 1 -> builder.uri(URI.create(cluster.url() + collection + "/fuzz")).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
                    default -> builder.uri(URI.create(cluster.url() + collection + "/fuzz"))
                            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body));
                }
                HttpResponse<String> response = cluster.admin().send(builder.build());
                return new Outcome(index, response.statusCode(), response.body(), contentType, body);
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Map<Integer, Integer> codes = new ConcurrentHashMap<>();
        List<Outcome> serverErrors = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Callable request : requests) {
            futures.add(pool.submit(request::call));
        }
        for (Future<Outcome> future : futures) {
            Outcome outcome = future.get();
            codes.merge(outcome.code(), 1, Integer::sum);
            done.incrementAndGet();
            if (outcome.code() >= 500) {
                serverErrors.add(outcome);
            }
        }
        pool.shutdown();
        assertThat(done.get()).isEqualTo(BODIES);
        assertThat(serverErrors).as("5xx answers (first: %s); codes seen: %s",
                serverErrors.isEmpty() ? "" : serverErrors.get(0).describe(), codes).isEmpty();
        assertThat(codes.keySet()).as("the mutations reached the decoders").contains(400);
        assertThat(cluster.admin().get("/readyz").statusCode()).isEqualTo(200);
    }

    private static byte[] mutate(byte[] body, Random random) {
        byte[] out = body.clone();
        switch (random.nextInt(8)) {
            case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> out = java.util.Arrays.copyOf(out, random.nextInt(out.length));
            case 2 -> {
                byte[] noise = new byte[1 + random.nextInt(64)];
                random.nextBytes(noise);
                out = noise;
            }
            case 3 -> out = new String(out, StandardCharsets.UTF_8).replaceFirst("\"[a-z]\"|\\d+|\\{\\}",
                    List.of("[]", "{}", "null", "true", "-1", "1e999", "\"\"", "[[[]]]").get(random.nextInt(8)))
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> out = ("{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}").getBytes(StandardCharsets.UTF_8);
            case 5 -> out = new String(out, StandardCharsets.UTF_8).replace("\"name\":\"fuzz\"",
                    "\"name\":\"" + "x".repeat(random.nextInt(400)) + "\"").getBytes(StandardCharsets.UTF_8);
            case 6 -> {
                byte[] prefixed = new byte[out.length + 4];
                System.arraycopy(new byte[] {'k', '8', 's', 0}, 0, prefixed, 0, 4);
                random.nextBytes(out);
                System.arraycopy(out, 0, prefixed, 4, out.length);
                out = prefixed;
            }
            default -> out = ("[{\"op\":\"" + List.of("add", "remove", "replace", "move", "copy", "test", "x").get(random.nextInt(7))
                    + "\",\"path\":\"/" + List.of("", "spec", "metadata/name", "a/b/c", "spec/replicas", "~2").get(random.nextInt(6))
                    + "\",\"value\":" + List.of("1", "{}", "null", "\"s\"").get(random.nextInt(4)) + "}]")
                    .getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static String collectionOf(String body) {
        for (Map.Entry<String, String> entry : COLLECTIONS.entrySet()) {
            if (body.contains("\"kind\":\"" + entry.getKey() + "\"")) {
                return entry.getValue();
            }
        }
        throw new IllegalArgumentException(body);
    }

    private static void post(String path, String body, String contentType) {
        HttpResponse<String> response = cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url() + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private interface Callable {
        Outcome call();
    }

    private record Outcome(int index, int code, String body, String contentType, byte[] sent) {
        String describe() {
            return "#" + index + " " + code + " " + contentType + " body=" + new String(sent, StandardCharsets.UTF_8)
                    .substring(0, Math.min(200, sent.length)) + " -> " + body;
        }
    }
}
