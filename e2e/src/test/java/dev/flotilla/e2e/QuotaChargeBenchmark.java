package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.e2e.LoadLoops.Result;
import dev.flotilla.testsupport.Await;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * What charging a ResourceQuota costs a create, run by hand (not part of the suite):
 * {@code mvn -pl e2e -am verify -Dtest=none -Dit.test=QuotaChargeBenchmark '-Dfailsafe.includes=**}{@code /*Benchmark.java'}.
 * Closed loops of {@code -Dbench.quota.clients} (64) creators through the real server over 16 HTTPS
 * clients, {@code -Dbench.quota.seconds} (10) measured after 3 s of warm-up: ConfigMaps in a namespace
 * without a quota (the reference), ConfigMaps in one with a count quota, Pods (no scheduler) in one
 * with a count + compute quota. Then an exactness check under the same load: 64 creators race for a
 * quota of 200 ConfigMaps and usage must end at hard exactly.
 */
class QuotaChargeBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = Integer.getInteger("bench.quota.clients", 64);
    private static final long SECONDS = Integer.getInteger("bench.quota.seconds", 10);
    private static final long WARMUP_SECONDS = 3;

    @Test
    void measure() throws Exception {
        try (ControlPlane cluster = ControlPlane.start("--flotilla.scheduler.enabled=false")) {
            HttpsClient[] http = new HttpsClient[16];
            for (int i = 0; i < http.length; i++) {
                http[i] = cluster.admin();
            }
            for (String ns : List.of("plain", "counted", "compute", "full")) {
                cluster.kubectl("create", "namespace", ns).assertSuccess();
            }
            cluster.kubectl("-n", "counted", "create", "quota", "q", "--hard=count/configmaps=10000000").assertSuccess();
            cluster.kubectl("-n", "compute", "create", "quota", "q",
                    "--hard=pods=10000000,requests.cpu=1000000,limits.memory=1000000Gi").assertSuccess();
            // 200 and the namespace's kube-root-ca.crt.
            cluster.kubectl("-n", "full", "create", "quota", "q", "--hard=count/configmaps=201").assertSuccess();
            for (String ns : List.of("counted", "compute", "full")) {
                Await.until(Duration.ofSeconds(60), "usage of " + ns, () -> !usedOf(http[0], ns).isEmpty());
            }
            AtomicInteger names = new AtomicInteger();
            List<Result> results = new ArrayList<>();
            results.add(LoadLoops.closedLoop("ConfigMap, no quota", create(http, "plain", "configmaps",
                    () -> configMap("cm-" + names.incrementAndGet())), CLIENTS, WARMUP_SECONDS, SECONDS));
            results.add(LoadLoops.closedLoop("ConfigMap, count quota", create(http, "counted", "configmaps",
                    () -> configMap("cm-" + names.incrementAndGet())), CLIENTS, WARMUP_SECONDS, SECONDS));
            results.add(LoadLoops.closedLoop("Pod, count + compute quota", create(http, "compute", "pods",
                    () -> pod("p-" + names.incrementAndGet())), CLIENTS, WARMUP_SECONDS, SECONDS));
            System.out.println();
            System.out.println("| measurement | clients | creates/s | p50 ms | p99 ms |");
            System.out.println("| --- | --- | --- | --- | --- |");
            for (Result r : results) {
                System.out.printf("| %s | %d | %.0f | %.1f | %.1f |%n", r.name(), r.clients(), r.perSecond(), r.p50(), r.p99());
            }
            MetricValues meters = MetricValues.scrape(http[0]);
            double batches = meters.value("flotilla_resourcequota_batch_size_count");
            double charged = meters.value("flotilla_resourcequota_batch_size_sum");
            System.out.printf("quota batches: %.0f for %.0f creates (%.1f creates per quota write), %.0f lost "
                    + "compare-and-swaps%n", batches, charged, batches == 0 ? 0 : charged / batches,
                    meters.value("flotilla_resourcequota_write_conflicts_total"));
            exactUnderLoad(cluster, http);
        }
    }

    /** 64 creators, 10 creates each, into a quota of 200: exactly 200 admitted, usage at hard. */
    private static void exactUnderLoad(ControlPlane cluster, HttpsClient[] http) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger names = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    HttpResponse<String> response = post(http[thread % http.length], "full", "configmaps",
                            configMap("full-" + names.incrementAndGet()));
                    if (response.statusCode() == 201) {
                        admitted.incrementAndGet();
                    } else {
                        assertThat(response.statusCode()).isEqualTo(403);
                        assertThat(response.body()).contains("exceeded quota: q, requested: count/configmaps=1");
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        String used = JSON.readTree(usedOf(http[0], "full")).path("count/configmaps").asText();
        System.out.printf("exactness: %d admitted, %d refused in %.1f s; used count/configmaps=%s (hard 201)%n",
                admitted.get(), refused.get(), seconds, used);
        assertThat(admitted.get()).isEqualTo(200);
        assertThat(used).isEqualTo("201");
    }

    private static IntPredicate create(HttpsClient[] http, String namespace, String resource,
            java.util.function.Supplier<String> body) {
        return thread -> post(http[thread % http.length], namespace, resource, body.get()).statusCode() == 201;
    }

    private static HttpResponse<String> post(HttpsClient http, String namespace, String resource, String body) {
        return http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/namespaces/" + namespace + "/"
                + resource)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The quota's {@code status.used} as JSON, empty before the controller wrote it. */
    private static String usedOf(HttpsClient http, String namespace) {
        try {
            var used = JSON.readTree(http.get("/api/v1/namespaces/" + namespace + "/resourcequotas/q").body())
                    .path("status").path("used");
            return used.isMissingNode() || used.isEmpty() ? "" : used.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String configMap(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\"},\"data\":{\"key\":\"value\"}}";
    }

    private static String pod(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"containers\":"
                + "[{\"name\":\"c\",\"image\":\"busybox\",\"resources\":{\"requests\":{\"cpu\":\"10m\"},"
                + "\"limits\":{\"memory\":\"16Mi\"}}}]}}";
    }
}
