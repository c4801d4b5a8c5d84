package dev.flotilla.e2e;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.HttpsClient;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's watch cache targets, run by hand (not part of the suite):
 * {@code mvn -pl e2e verify -Dit.test=WatchCacheBenchmark -Dfailsafe.includes=**}{@code /*Benchmark.java}.
 * (a) a JSON list of 10,000 pods over HTTPS, served from the watch cache; (b) one change delivered to
 * 1,000 concurrent watchers, from the write's acknowledgement to each watcher's receipt; (c) the
 * resident memory of the API server JVM after (a) and (b), and of an idle one. Prints the figures;
 * docs/benchmarks.md records them. {@code -Dbenchmark.only=fan-out} or {@code lists} (passed with
 * {@code -DargLine=...}) runs only that part.
 */
class WatchCacheBenchmark {

    private static final int PODS = 10_000;
    private static final int LISTS = 10;
    private static final int WATCHERS = 1_000;
    private static final int CHANGES = 10;

    @Test
    void measure() throws Exception {
        long idleRss = rssKib();
        // No controllers: the pods written straight into etcd name nodes that do not exist, which
        // pod GC would delete as orphans in the middle of the measurement.
        try (ControlPlane cluster = ControlPlane.start("--flotilla.controllers.enabled=false");
                Client etcd = Client.builder().endpoints(cluster.etcdEndpoint()).build()) {
            System.out.printf("JVM RSS (load generator and server in one JVM) at start: %d MiB, idle after start: %d MiB%n",
                    idleRss / 1024, rssKib() / 1024);
            HttpsClient http = cluster.admin();
            cluster.kubectl("create", "namespace", "bench").assertSuccess();
            boolean lists = !"fan-out".equals(System.getProperty("benchmark.only"));
            if (lists) {
                writePods(etcd.getKVClient());
            }
            for (String query : lists ? List.of("", "?resourceVersion=0") : List.<String>of()) {
                listPods(cluster, http, query);
            }

            if (!"lists".equals(System.getProperty("benchmark.only"))) {
                fanOut(cluster);
            }
            System.out.printf("JVM RSS after the benchmark: %d MiB%n", rssKib() / 1024);
        }
    }

    private static void listPods(ControlPlane cluster, HttpsClient http, String query) throws java.io.IOException {
        double[] millis = new double[LISTS];
        for (int i = 0; i < LISTS; i++) {
            long begin = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(cluster.url() + "/api/v1/pods" + query)).timeout(Duration.ofSeconds(60))
                    .header("Accept", "application/json").GET().build());
            millis[i] = (System.nanoTime() - begin) / 1e6;
            if (response.statusCode() != 200 || !response.body().contains("\"name\":\"pod-9999\"")) {
                throw new AssertionError("list failed: " + response.statusCode());
            }
        }
        Arrays.sort(millis);
        System.out.printf("| list %d pods%s | %d runs | p50 %.1f ms | p90 %.1f ms | max %.1f ms | load %s |%n", PODS,
                query, LISTS, millis[LISTS / 2], millis[LISTS * 9 / 10], millis[LISTS - 1], loadAverage());
    }

    private static void writePods(KV kv) throws Exception {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            String name = "pod-" + i;
            pending.add(kv.put(bytes("/registry/core/pods/bench/" + name), bytes(pod(name))));
            if (pending.size() == 200) {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                pending.clear();
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    private static void fanOut(ControlPlane cluster) throws Exception {
        HttpsClient writer = cluster.admin();
        String start = new com.fasterxml.jackson.databind.ObjectMapper().readTree(writer.get(
                "/api/v1/namespaces/bench/configmaps").body()).at("/metadata/resourceVersion").asText();
        URI server = URI.create(cluster.url());
        String path = "/api/v1/namespaces/bench/configmaps?watch=true&timeoutSeconds=600&resourceVersion=" + start;
        List<SocketWatch> watches = new ArrayList<>();
        long opening = System.nanoTime();
        try {
            for (int w = 0; w < WATCHERS; w++) {
                watches.add(new SocketWatch(writer.sslContext(), server, path, "\"name\":\""));
            }
            Await.until(Duration.ofSeconds(300), WATCHERS + " watches open",
                    () -> watches.stream().allMatch(SocketWatch::isOpen));
            System.out.printf("%d watches (one TLS connection each) open after %.1f s%n", WATCHERS,
                    (System.nanoTime() - opening) / 1e9);
            List<Double> latencies = new ArrayList<>();
            for (int c = 0; c < CHANGES; c++) {
                String name = "fan-" + c;
                HttpResponse<String> created = writer.send(HttpRequest.newBuilder(URI.create(cluster.url()
                                + "/api/v1/namespaces/bench/configmaps"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                                + "\"metadata\":{\"name\":\"" + name + "\"}}")).build());
                long acknowledged = System.nanoTime();
                if (created.statusCode() != 201) {
                    throw new AssertionError("create failed: " + created.body());
                }
                Await.until(Duration.ofSeconds(60), "all watchers saw " + name,
                        () -> watches.stream().allMatch(w -> w.receivedAt(name) != null));
                for (SocketWatch watch : watches) {
                    latencies.add(Math.max(0, watch.receivedAt(name) - acknowledged) / 1e6);
                }
            }
            latencies.sort(Double::compare);
            System.out.printf("| one change to %d watchers | %d changes | p50 %.1f ms | p99 %.1f ms | max %.1f ms |%n",
                    WATCHERS, CHANGES, latencies.get(latencies.size() / 2),
                    latencies.get(latencies.size() * 99 / 100), latencies.get(latencies.size() - 1));
            System.out.println("load average: " + loadAverage());
        } finally {
            for (SocketWatch watch : watches) {
                watch.close();
            }
        }
    }

    /** The machine's 1/5/15-minute load averages, as {@code uptime} shows them. */
    static String loadAverage() throws java.io.IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }

    /** The resident set of this JVM (server and load generator together), from /proc. */
    private static long rssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static String pod(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"bench\","
                + "\"uid\":\"" + java.util.UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)) + "\","
                + "\"creationTimestamp\":\"2026-11-22T00:00:00Z\",\"labels\":{\"app\":\"bench\",\"tier\":\"web\"}},"
                + "\"spec\":{\"nodeName\":\"node-" + (name.hashCode() & 15) + "\",\"containers\":[{\"name\":\"app\","
                + "\"image\":\"registry.local/bench/app:1.0\",\"ports\":[{\"containerPort\":8080,\"protocol\":\"TCP\"}],"
                + "\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}},"
                + "\"env\":[{\"name\":\"MODE\",\"value\":\"bench\"}]}],\"restartPolicy\":\"Always\"},"
                + "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.1\",\"hostIP\":\"192.168.0.1\","
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}";
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
