package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.HttpsClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's policy benchmark, run by hand (not part of the suite):
 * {@code mvn -pl e2e verify -Dit.test=PolicyOverheadBenchmark -Dfailsafe.includes=**}{@code /*Benchmark.java}.
 * Builds 1,000 tenants with 10 namespaces each (the tenant reconciler writes their quota, limits,
 * network policy and RoleBindings) and more RoleBindings up to 50,000, then sends 1,000 requests/s
 * as tenant users with platform API tokens (reads, lists, creates in their namespaces, refused reads
 * in another tenant's), and reads what authentication, authorization and admission added to each
 * request from the server's own histogram ({@code flotilla_request_policy_duration_seconds}),
 * counted over the measured phase only. Scale: {@code -Dbench.tenants}, {@code -Dbench.rate},
 * {@code -Dbench.seconds}.
 */
class PolicyOverheadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TENANTS = Integer.getInteger("bench.tenants", 1000);
    private static final int NAMESPACES_PER_TENANT = 10;
    private static final int EXTRA_BINDINGS_PER_NAMESPACE = 3;
    private static final int USERS_WITH_TOKENS = 100;
    private static final double RATE = Integer.getInteger("bench.rate", 1000);
    private static final long SECONDS = Integer.getInteger("bench.seconds", 30);
    private static final int CLIENTS = 64;
    private static final int SETUP_THREADS = 16;
    private static final String POLICY = "flotilla_request_policy_duration_seconds";
    private static final AtomicLong SETUP_RETRIES = new AtomicLong();

    @Test
    void measure() throws Exception {
        try (ControlPlane cluster = ControlPlane.start()) {
            HttpsClient[] admins = new HttpsClient[SETUP_THREADS];
            for (int i = 0; i < admins.length; i++) {
                admins[i] = cluster.admin();
            }
            long setupStart = System.nanoTime();
            parallel("tenants", TENANTS, i -> created(admins[i % admins.length], "/apis/tenancy.flotilla.dev/v1/tenants",
                    tenant(i)));
            parallel("namespaces", TENANTS * NAMESPACES_PER_TENANT, i -> created(admins[i % admins.length],
                    "/api/v1/namespaces", namespace(i % TENANTS, i / TENANTS)));
            awaitDefaults(admins[0]);
            parallel("role bindings", TENANTS * NAMESPACES_PER_TENANT * EXTRA_BINDINGS_PER_NAMESPACE, i -> {
                int ns = i / EXTRA_BINDINGS_PER_NAMESPACE;
                String namespace = namespaceName(ns % TENANTS, ns / TENANTS);
                created(admins[i % admins.length], "/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace
                        + "/rolebindings", roleBinding(i % EXTRA_BINDINGS_PER_NAMESPACE, ns));
            });
            long bindings = count(admins[0], "/apis/rbac.authorization.k8s.io/v1/rolebindings")
                    + count(admins[0], "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings");
            long namespaces = count(admins[0], "/api/v1/namespaces");
            System.out.printf("set-up: %d tenants, %d namespaces, %d role and cluster role bindings in %d s (%d creates retried after 503/429)%n",
                    TENANTS, namespaces, bindings, (System.nanoTime() - setupStart) / 1_000_000_000L, SETUP_RETRIES.get());

            List<String> tokens = tokens(cluster, admins[0]);
            HttpsClient[] clients = new HttpsClient[16];
            for (int i = 0; i < clients.length; i++) {
                clients[i] = cluster.anonymous();
            }
            Map<Integer, AtomicLong> codes = new ConcurrentHashMap<>();
            AtomicLong unexpected = new AtomicLong();
            IntPredicate request = n -> {
                Call call = call(n, tokens);
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(cluster.url() + call.path()))
                        .header("Authorization", "Bearer " + call.token());
                builder = call.body() == null ? builder.GET()
                        : builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call.body()));
                HttpResponse<String> response = clients[n % clients.length].send(builder.build());
                codes.computeIfAbsent(response.statusCode(), c -> new AtomicLong()).incrementAndGet();
                if (response.statusCode() != call.expected()) {
                    unexpected.incrementAndGet();
                }
                return true;
            };
            LoadLoops.openLoop("warm-up", request, RATE, CLIENTS, 20);
            Histograms before = Histograms.scrape(admins[0]);
            codes.clear();
            unexpected.set(0);
            LoadLoops.Result measured = LoadLoops.openLoop("tenant requests", request, RATE, CLIENTS, SECONDS);
            Histograms during = Histograms.scrape(admins[0]).minus(before);

            System.out.println();
            System.out.printf("load: %.0f requests/s for %d s (target rate %.0f), responses by code %s, %d not the expected code%n",
                    measured.perSecond(), SECONDS, RATE, codes, unexpected.get());
            System.out.printf("client-side latency: p50 %.2f ms, p99 %.2f ms%n", measured.p50(), measured.p99());
            System.out.println();
            System.out.println("| server-side step | requests | p50 ≤ | p99 ≤ |");
            System.out.println("| --- | --- | --- | --- |");
            row(during, "authentication + authorization + admission, all requests", POLICY, Map.of());
            for (String verb : List.of("get", "list", "create")) {
                row(during, "  same, " + verb, POLICY, Map.of("verb", verb));
            }
            row(during, "authentication (API tokens)", "authentication_duration_seconds", Map.of());
            row(during, "authorization (Node, RBAC)", "flotilla_authorization_duration_seconds", Map.of());
            row(during, "admission, mutating", "apiserver_admission_step_admission_duration_seconds", Map.of("type", "admit"));
            row(during, "admission, validating", "apiserver_admission_step_admission_duration_seconds",
                    Map.of("type", "validate"));
            assertThat(unexpected.get()).as("responses with another code than expected").isLessThan(
                    (long) (measured.perSecond() * SECONDS / 100));
        }
    }

    /** One request of the mix: mostly the tenant's own namespace, one in ten a refused read of another tenant's. */
    private record Call(String path, String body, String token, int expected) {
    }

    private static Call call(int n, List<String> tokens) {
        int user = n % tokens.size();
        int tenant = user / 2;
        String token = tokens.get(user);
        String own = "/api/v1/namespaces/" + namespaceName(tenant, (n / tokens.size()) % NAMESPACES_PER_TENANT);
        return switch (n % 10) {
            case 0, 1, 2, 3 -> new Call("/api/v1/namespaces/" + namespaceName(tenant, 0) + "/configmaps/settings", null,
                    token, 200);
            case 4, 5 -> new Call(own + "/configmaps?limit=10", null, token, 200);
            case 6, 7 -> new Call(own + "/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                    + "\"metadata\":{\"generateName\":\"bench-\"},\"data\":{\"k\":\"v\"}}", token, 201);
            case 8 -> new Call("/api/v1/namespaces/" + namespaceName((tenant + 1) % TENANTS, 0) + "/secrets", null, token, 403);
            default -> new Call(own + "/pods", null, token, 200);
        };
    }

    /** API tokens for the owner and the developer of the first tenants, each created by that user itself. */
    private static List<String> tokens(ControlPlane cluster, HttpsClient admin) throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int tenant = 0; tenant < Math.min(USERS_WITH_TOKENS / 2, TENANTS); tenant++) {
            created(admin, "/api/v1/namespaces/" + namespaceName(tenant, 0) + "/configmaps",
                    "{\"metadata\":{\"name\":\"settings\"},\"data\":{\"mode\":\"bench\"}}");
            for (String user : List.of(owner(tenant), developer(tenant))) {
                cluster.kubeconfigFor(user);
                String response = created(cluster.clientAs(user), "/apis/tokens.flotilla.dev/v1/apitokens",
                        "{\"apiVersion\":\"tokens.flotilla.dev/v1\",\"kind\":\"ApiToken\",\"metadata\":{\"name\":\"bench\"},"
                                + "\"spec\":{\"expirationSeconds\":7200}}");
                tokens.add(JSON.readTree(response).at("/status/token").asText());
            }
        }
        return tokens;
    }

    private static void awaitDefaults(HttpsClient admin) {
        int wanted = TENANTS * NAMESPACES_PER_TENANT;
        long[] last = {0};
        Await.until(Duration.ofMinutes(40), "every tenant namespace has its defaults", () -> {
            long ready = 0;
            String next = "";
            do {
                JsonNode page = tree(ok(admin.get("/api/v1/namespaces?limit=2000&labelSelector=tenancy.flotilla.dev%2Ftenant"
                        + (next.isEmpty() ? "" : "&continue=" + next))));
                for (JsonNode item : page.path("items")) {
                    if (!item.path("metadata").path("annotations").path("tenancy.flotilla.dev/defaults-of").asText().isEmpty()) {
                        ready++;
                    }
                }
                next = page.path("metadata").path("continue").asText();
            } while (!next.isEmpty());
            if (ready != last[0]) {
                System.out.printf("tenant defaults: %d of %d namespaces%n", ready, wanted);
                last[0] = ready;
            }
            return ready == wanted;
        });
    }

    private static long count(HttpsClient admin, String path) {
        long count = 0;
        String next = "";
        do {
            JsonNode page = tree(ok(admin.get(path + "?limit=5000" + (next.isEmpty() ? "" : "&continue=" + next))));
            count += page.path("items").size();
            next = page.path("metadata").path("continue").asText();
        } while (!next.isEmpty());
        return count;
    }

    private interface Step {
        void run(int index) throws Exception;
    }

    /** Runs {@code count} set-up steps on {@link #SETUP_THREADS} threads, printing progress every 10%. */
    private static void parallel(String what, int count, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < SETUP_THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = thread; i < count; i += SETUP_THREADS) {
                        step.run(i);
                        int finished = done.incrementAndGet();
                        if (finished % Math.max(1, count / 10) == 0) {
                            System.out.printf("%s: %d of %d%n", what, finished, count);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("%s: %d created in %.1f s%n", what, count, (System.nanoTime() - start) / 1e9);
    }

    /**
     * POSTs an object, retrying 503s and 429s as clients do (a set-up at this scale on two shared cores
     * meets a busy PostgreSQL pool now and then); the retries are counted and printed.
     */
    private static String created(HttpsClient client, String path, String body) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(client.baseUrl() + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            if (response.statusCode() == 201) {
                return response.body();
            }
            if ((response.statusCode() != 503 && response.statusCode() != 429) || attempt == 10) {
                throw new IllegalStateException("POST " + path + ": " + response.statusCode() + " " + response.body());
            }
            SETUP_RETRIES.incrementAndGet();
            Thread.sleep(200L * attempt);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    private static String ok(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static String tenantName(int tenant) {
        return "t%04d".formatted(tenant);
    }

    private static String namespaceName(int tenant, int index) {
        return tenantName(tenant) + "-" + index;
    }

    private static String owner(int tenant) {
        return "owner-" + tenantName(tenant);
    }

    private static String developer(int tenant) {
        return "dev-" + tenantName(tenant);
    }

    private static String tenant(int tenant) {
        return "{\"apiVersion\":\"tenancy.flotilla.dev/v1\",\"kind\":\"Tenant\",\"metadata\":{\"name\":\"" + tenantName(tenant)
                + "\"},\"spec\":{\"owners\":[{\"kind\":\"User\",\"name\":\"" + owner(tenant) + "\"}],"
                + "\"members\":[{\"kind\":\"User\",\"name\":\"" + developer(tenant) + "\",\"role\":\"developer\"}],"
                + "\"namespaceQuota\":" + NAMESPACES_PER_TENANT + ",\"podSecurity\":{\"level\":\"baseline\"},"
                + "\"resourceQuota\":{\"hard\":{\"pods\":\"100\",\"count/configmaps\":\"1000000\"}}}}";
    }

    private static String namespace(int tenant, int index) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespaceName(tenant, index)
                + "\",\"labels\":{\"tenancy.flotilla.dev/tenant\":\"" + tenantName(tenant) + "\"}}}";
    }

    /** A viewer user, a group and a ServiceAccount bound to view in namespace number {@code ns}. */
    private static String roleBinding(int kind, int ns) {
        String subject = switch (kind) {
            case 0 -> "{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"viewer-" + ns + "\"}";
            case 1 -> "{\"kind\":\"Group\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"auditors-" + ns % 100 + "\"}";
            default -> "{\"kind\":\"ServiceAccount\",\"name\":\"reporter\",\"namespace\":\"monitoring\"}";
        };
        return "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"bench-"
                + kind + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\","
                + "\"name\":\"view\"},\"subjects\":[" + subject + "]}";
    }

    private static void row(Histograms histograms, String label, String metric, Map<String, String> labels) {
        Histograms.Summary summary = histograms.summary(metric, labels);
        System.out.printf("| %s | %d | %s | %s |%n", label, summary.count(), micros(summary.p50()), micros(summary.p99()));
    }

    private static String micros(double seconds) {
        return Double.isNaN(seconds) ? "—" : seconds >= 1e-3 ? "%.2f ms".formatted(seconds * 1e3)
                : "%.0f µs".formatted(seconds * 1e6);
    }
}
