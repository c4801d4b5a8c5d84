package dev.flotilla.e2e;

import dev.flotilla.e2e.LoadLoops.Result;
import dev.flotilla.testsupport.HttpsClient;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's create benchmark, run by hand (not part of the test suite; its name does not end in IT):
 * {@code mvn -pl e2e verify -Dit.test=CreateThroughputBenchmark -Dfailsafe.includes=**}{@code /*Benchmark.java}.
 * Measures, in one run on one machine, raw jetcd create-if-absent transactions with 64 concurrent
 * clients, API server creates of small ConfigMaps with 64 concurrent clients, and create latency at
 * half the API server's throughput. Prints the figures; docs/benchmarks.md records them.
 * {@code -Dbench.only=wrk} runs only the external wrk load, for {@code -Dbench.wrkSeconds} (default 10), to
 * profile a warm server without the in-JVM load generator; {@code -Dbench.kind=pod} makes it create Pods
 * (for a scheduler no one runs) instead of ConfigMaps.
 */
class CreateThroughputBenchmark {

    private static final int CLIENTS = 64;
    private static final long WARMUP_SECONDS = 10;
    private static final long MEASURE_SECONDS = 10;

    @Test
    void measure() throws Exception {
        try (ControlPlane cluster = ControlPlane.start();
                Client etcd = Client.builder().endpoints(cluster.etcdEndpoint()).build()) {
            // Several clients: one JDK HttpClient has a single selector thread, which would be the bottleneck.
            HttpsClient[] http = new HttpsClient[16];
            for (int i = 0; i < http.length; i++) {
                http[i] = cluster.admin();
            }
            cluster.kubectl("create", "namespace", "bench").assertSuccess();
            if ("wrk".equals(System.getProperty("bench.only"))) {
                Map<String, Double> before = etcdRequests(cluster);
                WrkLoad.Kind kind = WrkLoad.Kind.valueOf(System.getProperty("bench.kind", "configmap").toUpperCase());
                WrkLoad.measure(cluster, Long.getLong("bench.wrkSeconds", 10), kind).ifPresent(r -> System.out.printf(
                        "%s: %.0f/s, p50 %.1f ms, p99 %.1f ms%n", r.name(), r.perSecond(), r.p50(), r.p99()));
                Map<String, Double> after = etcdRequests(cluster);
                after.forEach((method, count) -> System.out.printf("etcd %s requests during the run: %.0f%n", method,
                        count - before.getOrDefault(method, 0.0)));
                return;
            }

            AtomicInteger etcdKeys = new AtomicInteger();
            IntPredicate rawCreate = thread -> {
                ByteSequence key = bytes("/bench/raw/" + etcdKeys.incrementAndGet());
                try {
                    return etcd.getKVClient().txn()
                            .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                            .Then(Op.put(key, bytes(smallObject("raw")), PutOption.DEFAULT))
                            .commit().get(10, TimeUnit.SECONDS).isSucceeded();
                } catch (Exception e) {
                    return false;
                }
            };
            AtomicInteger names = new AtomicInteger();
            IntPredicate apiCreate = thread -> {
                HttpResponse<String> response = http[thread % http.length].send(HttpRequest.newBuilder(
                                URI.create(cluster.url() + "/api/v1/namespaces/bench/configmaps"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(smallObject("cm-" + names.incrementAndGet())))
                        .build());
                return response.statusCode() == 201;
            };

            Result raw = LoadLoops.closedLoop("raw jetcd txn create", rawCreate, CLIENTS, WARMUP_SECONDS, MEASURE_SECONDS);
            Result api = LoadLoops.closedLoop("API server create", apiCreate, CLIENTS, WARMUP_SECONDS, MEASURE_SECONDS);
            Result paced = LoadLoops.openLoop("API server create at half load", apiCreate, api.perSecond() / 2,
                    CLIENTS, MEASURE_SECONDS);
            List<Result> results = new ArrayList<>(List.of(raw, api, paced));
            WrkLoad.measure(cluster, 10).ifPresent(results::add);
            System.out.println();
            System.out.println("| measurement | clients | ops/s | p50 ms | p99 ms |");
            System.out.println("| --- | --- | --- | --- | --- |");
            for (Result r : results) {
                System.out.printf("| %s | %d | %.0f | %.1f | %.1f |%n", r.name(), r.clients(), r.perSecond(), r.p50(), r.p99());
            }
            System.out.printf("API / raw jetcd throughput: %.0f%% (target >= 70%%)%n", 100 * api.perSecond() / raw.perSecond());
            System.out.printf("create p99 at half load: %.1f ms (target <= 25 ms)%n", paced.p99());
        }
    }

    /** etcd's own count of handled gRPC requests per method, from its /metrics. */
    private static Map<String, Double> etcdRequests(ControlPlane cluster) throws Exception {
        Map<String, Double> counts = new TreeMap<>();
        Matcher m = Pattern.compile("grpc_server_handled_total\\{[^}]*grpc_method=\"(\\w+)\"[^}]*} ([0-9.e+]+)")
                .matcher(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.etcdEndpoint()
                        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
        while (m.find()) {
            counts.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
        return counts;
    }

    private static String smallObject(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app\":\"bench\"}},\"data\":{\"key\":\"value\"}}";
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
