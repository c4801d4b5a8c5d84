package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ResourceQuota admission through the real API server: refusals with upstream's words, and exactness under races. */
class ResourceQuotaAdmissionIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static ControlPlane cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start("--flotilla.scheduler.enabled=false");
        client = cluster.fabric8Client(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(client, cluster);
    }

    @Test
    void kubectlIsRefusedWithUpstreamsMessageOnceTheQuotaIsFullAndAllowedAgainAfterADelete() {
        namespace("counted");
        // kube-root-ca.crt, published in every namespace, counts as one configmap, as upstream.
        quota("counted", "q", Map.of("pods", "2", "count/configmaps", "2", "secrets", "1"));
        cluster.kubectl("-n", "counted", "run", "p1", "--image=busybox").assertSuccess();
        cluster.kubectl("-n", "counted", "run", "p2", "--image=busybox").assertSuccess();

        var refused = cluster.kubectl("-n", "counted", "run", "p3", "--image=busybox");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("Error from server (Forbidden): pods \"p3\" is forbidden: "
                + "exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");

        cluster.kubectl("-n", "counted", "create", "configmap", "one").assertSuccess();
        assertThat(cluster.kubectl("-n", "counted", "create", "configmap", "two").output()).contains(
                "configmaps \"two\" is forbidden: exceeded quota: q, requested: count/configmaps=1, "
                        + "used: count/configmaps=2, limited: count/configmaps=2");
        cluster.kubectl("-n", "counted", "create", "secret", "generic", "s1", "--from-literal=a=b").assertSuccess();
        assertThat(cluster.kubectl("-n", "counted", "create", "secret", "generic", "s2", "--from-literal=a=b")
                .output()).contains("exceeded quota: q, requested: secrets=1, used: secrets=1, limited: secrets=1");

        // The controller recomputes usage after a delete, which gives the pod's charge back.
        cluster.kubectl("-n", "counted", "delete", "pod", "p1", "--wait=false").assertSuccess();
        Await.until(WAIT, "a pod fits again", () -> cluster.kubectl("-n", "counted", "run", "p3", "--image=busybox")
                .exitCode() == 0);
        Await.until(WAIT, "usage settles at 2 pods", () -> used("counted", "q", "pods").equals("2"));
    }

    @Test
    void aQuotaOnCpuAndMemoryRequiresEveryContainerToStateThem() {
        namespace("compute");
        quota("compute", "cpu", Map.of("requests.cpu", "1", "limits.memory", "1Gi"));
        assertThatThrownBy(() -> client.pods().inNamespace("compute").resource(pod("bare", null, null)).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                    assertThat(e.getStatus().getMessage()).isEqualTo("pods \"bare\" is forbidden: failed quota: cpu: "
                            + "must specify limits.memory for: c; requests.cpu for: c");
                });

        client.pods().inNamespace("compute").resource(pod("half", "600m", "512Mi")).create();
        assertThatThrownBy(() -> client.pods().inNamespace("compute").resource(pod("more", "600m", "512Mi")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .isEqualTo("pods \"more\" is forbidden: exceeded quota: cpu, requested: requests.cpu=600m, "
                                + "used: requests.cpu=600m, limited: requests.cpu=1"));
        client.pods().inNamespace("compute").resource(pod("rest", "400m", "512Mi")).create();
        Await.until(WAIT, "usage at hard", () -> used("compute", "cpu", "requests.cpu").equals("1")
                && used("compute", "cpu", "limits.memory").equals("1Gi"));
    }

    @Test
    void scopedQuotasCountOnlyThePodsTheirScopesMatch() {
        namespace("scoped");
        client.scheduling().v1().priorityClasses().resource(new PriorityClassBuilder().withNewMetadata()
                .withName("quota-high").endMetadata().withValue(1000).build()).create();
        quota("scoped", "best-effort", Map.of("pods", "1"), "BestEffort");
        ResourceQuota high = new ResourceQuotaBuilder().withNewMetadata().withName("high").endMetadata().withNewSpec()
                .withHard(Map.of("pods", new Quantity("1"))).withNewScopeSelector()
                .withMatchExpressions(new ScopedResourceSelectorRequirement("In", "PriorityClass", List.of("quota-high")))
                .endScopeSelector().endSpec().build();
        client.resourceQuotas().inNamespace("scoped").resource(high).create();
        Await.until(WAIT, "scoped usage", () -> "0".equals(used("scoped", "best-effort", "pods"))
                && "0".equals(used("scoped", "high", "pods")));

        client.pods().inNamespace("scoped").resource(pod("free", null, null)).create();
        assertThatThrownBy(() -> client.pods().inNamespace("scoped").resource(pod("free-2", null, null)).create())
                .hasMessageContaining("exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1");
        client.pods().inNamespace("scoped").resource(pod("sized", "100m", "64Mi")).create();

        Pod important = new PodBuilder(pod("important", "100m", "64Mi")).editSpec()
                .withPriorityClassName("quota-high").endSpec().build();
        client.pods().inNamespace("scoped").resource(important).create();
        important.getMetadata().setName("important-2");
        assertThatThrownBy(() -> client.pods().inNamespace("scoped").resource(important).create())
                .hasMessageContaining("exceeded quota: high, requested: pods=1, used: pods=1, limited: pods=1");
    }

    @Test
    void fiftyParallelCreatorsNeverPushUsageOverHardAndEveryAcknowledgedPodIsStored() throws Exception {
        namespace("race");
        quota("race", "pods", Map.of("pods", "10", "count/configmaps", "11")); // ten and kube-root-ca.crt
        List<String> admitted = race(50, name -> {
            try {
                client.pods().inNamespace("race").resource(pod(name, null, null)).create();
            } catch (KubernetesClientException e) {
                assertThat(e.getCode()).isEqualTo(403);
                assertThat(e.getStatus().getMessage()).contains("exceeded quota: pods, requested: pods=1");
                return false;
            }
            // Only admitted pods get a configmap: all ten fit beside kube-root-ca.crt in the quota of eleven.
            client.configMaps().inNamespace("race").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName(name).endMetadata().build()).create();
            return true;
        });
        assertThat(admitted).hasSize(10);
        assertThat(client.pods().inNamespace("race").list().getItems()).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(admitted);
        assertThat(client.configMaps().inNamespace("race").list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith("racer-")).count()).isEqualTo(10);
        Await.until(WAIT, "usage settles at hard", () -> "10".equals(used("race", "pods", "pods"))
                && "11".equals(used("race", "pods", "count/configmaps")));
    }

    @Test
    void oneBatchChargesManyConcurrentCreatesRefusesTheRestWithUpstreamsMessageAndEndsAtHard() throws Exception {
        namespace("batched");
        quota("batched", "compute", Map.of("pods", "100", "requests.cpu", "2", "limits.memory", "100Gi"));
        MetricValues before = MetricValues.scrape(cluster.admin());
        int creators = 60; // 100m each: twenty fit into 2 cpus
        List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        List<String> admitted = race(creators, name -> {
            try {
                client.pods().inNamespace("batched").resource(pod(name, "100m", "64Mi")).create();
                return true;
            } catch (KubernetesClientException e) {
                assertThat(e.getCode()).isEqualTo(403);
                refusals.add(e.getStatus().getMessage());
                return false;
            }
        });
        assertThat(admitted).hasSize(20);
        assertThat(refusals).hasSize(40).allSatisfy(message -> assertThat(message).matches("pods \"racer-\\d+\" is "
                + "forbidden: exceeded quota: compute, requested: requests.cpu=100m, used: requests.cpu=2, "
                + "limited: requests.cpu=2"));
        // Admission's own charges, before any recount: exact at once.
        assertThat(used("batched", "compute", "requests.cpu")).isEqualTo("2");
        assertThat(used("batched", "compute", "pods")).isEqualTo("20");
        assertThat(client.pods().inNamespace("batched").list().getItems()).hasSize(20);
        MetricValues after = MetricValues.scrape(cluster.admin());
        double batches = after.value("flotilla_resourcequota_batch_size_count")
                - before.value("flotilla_resourcequota_batch_size_count");
        double charged = after.value("flotilla_resourcequota_batch_size_sum")
                - before.value("flotilla_resourcequota_batch_size_sum");
        assertThat(charged).isEqualTo(creators);
        assertThat(batches).as("creates waiting together are charged by one write").isLessThan(creators);
        Await.until(WAIT, "the controller agrees", () -> "2".equals(used("batched", "compute", "requests.cpu"))
                && "20".equals(used("batched", "compute", "pods")));
    }

    @Test
    void aBatchWhoseWriteLosesToAnOutsideWriterReadsAgainAndKeepsBothTheirCharges() throws Exception {
        namespace("contended");
        // The outside writer charges secrets (as another API server would); the race charges configmaps.
        quota("contended", "mixed", Map.of("count/configmaps", "61", "count/secrets", "100000"));
        int secretsBefore = Integer.parseInt(used("contended", "mixed", "count/secrets"));
        MetricValues before = MetricValues.scrape(cluster.admin());
        AtomicBoolean racing = new AtomicBoolean(true);
        AtomicInteger bumps = new AtomicInteger();
        AtomicInteger tryAgain = new AtomicInteger();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> outside = writer.submit(() -> {
            while (racing.get() || bumps.get() < 5) {
                ResourceQuota q = client.resourceQuotas().inNamespace("contended").withName("mixed").get();
                Map<String, Quantity> used = new HashMap<>(q.getStatus().getUsed());
                used.put("count/secrets", new Quantity(String.valueOf(
                        Integer.parseInt(used.get("count/secrets").toString()) + 1)));
                q.getStatus().setUsed(used);
                try {
                    client.resourceQuotas().inNamespace("contended").resource(q).updateStatus();
                    bumps.incrementAndGet();
                } catch (KubernetesClientException e) {
                    assertThat(e.getCode()).isEqualTo(409); // admission wrote first: read again
                }
            }
            return null;
        });
        // Eight rounds of ten creators (six of them with room left), so that admission's batch writes
        // meet the outside writer's several times; the test needs a lost swap to show the re-read path.
        List<String> admitted = new ArrayList<>();
        try {
            for (int round = 0; round < 8; round++) {
                String prefix = "racer-" + round + "-";
                admitted.addAll(race(10, prefix, name -> {
                    try {
                        client.configMaps().inNamespace("contended").resource(new ConfigMapBuilder().withNewMetadata()
                                .withName(name).endMetadata().build()).create();
                        return true;
                    } catch (KubernetesClientException e) {
                        if (e.getCode() == 409) {
                            // Upstream's answer when the quota kept changing under every retry: try again.
                            assertThat(e.getStatus().getMessage()).isEqualTo("Operation cannot be fulfilled on "
                                    + "resourcequotas \"mixed\": the object has been modified; please apply your "
                                    + "changes to the latest version and try again");
                            tryAgain.incrementAndGet();
                            return false;
                        }
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getStatus().getMessage()).contains("exceeded quota: mixed, requested: "
                                + "count/configmaps=1, used: count/configmaps=61, limited: count/configmaps=61");
                        return false;
                    }
                }));
            }
        } finally {
            racing.set(false);
        }
        outside.get(60, TimeUnit.SECONDS);
        writer.shutdown();
        double conflicts = MetricValues.scrape(cluster.admin()).value("flotilla_resourcequota_write_conflicts_total")
                - before.value("flotilla_resourcequota_write_conflicts_total");
        assertThat(conflicts).as("admission lost compare-and-swaps to the outside writer").isPositive();
        long stored = client.configMaps().inNamespace("contended").list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith("racer-")).count();
        assertThat(stored).isEqualTo(admitted.size());
        // Exact both ways: no configmap past hard, and not one of the outside writer's charges written away.
        assertThat(used("contended", "mixed", "count/configmaps")).isEqualTo(String.valueOf(1 + admitted.size()));
        assertThat(Integer.parseInt(used("contended", "mixed", "count/secrets"))).isEqualTo(secretsBefore + bumps.get());
        assertThat(admitted.size()).isLessThanOrEqualTo(60);
        if (tryAgain.get() == 0) {
            assertThat(admitted).hasSize(60); // 80 creators: the quota must be full, not merely not over
        }
    }

    /** {@code creators} threads released at once, each trying {@code create} for its own name; the names admitted. */
    private static List<String> race(int creators, Predicate<String> create) throws Exception {
        return race(creators, "racer-", create);
    }

    private static List<String> race(int creators, String prefix, Predicate<String> create) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(creators);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < creators; i++) {
                String name = prefix + i;
                outcomes.add(pool.submit((Callable<String>) () -> {
                    go.await();
                    return create.test(name) ? name : null;
                }));
            }
            go.countDown();
            List<String> admitted = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                String name = outcome.get();
                if (name != null) {
                    admitted.add(name);
                }
            }
            return admitted;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void immortalNamespacesMayNotBeDeleted() {
        var refused = cluster.kubectl("delete", "namespace", "kube-public");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("namespaces \"kube-public\" is forbidden: this namespace may not be deleted");
        assertThat(client.namespaces().withName("kube-public").get().getMetadata().getDeletionTimestamp()).isNull();
    }

    private static Pod pod(String name, String cpu, String memory) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata();
        var container = pod.withNewSpec().addNewContainer().withName("c").withImage("busybox");
        if (cpu != null) {
            container.withNewResources().addToRequests("cpu", new Quantity(cpu))
                    .addToLimits("memory", new Quantity(memory)).endResources();
        }
        return container.endContainer().endSpec().build();
    }

    /** Creates a namespace and waits for its kube-root-ca.crt, so that configmap counts start from one. */
    private static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        Await.until(WAIT, "kube-root-ca.crt in " + name,
                () -> client.configMaps().inNamespace(name).withName("kube-root-ca.crt").get() != null);
    }

    /** Creates a quota and waits until the controller has written its first usage, as upstream requires before charging. */
    private static void quota(String namespace, String name, Map<String, String> hard, String... scopes) {
        ResourceQuotaBuilder quota = new ResourceQuotaBuilder().withNewMetadata().withName(name).endMetadata();
        var spec = quota.withNewSpec().withScopes(scopes);
        hard.forEach((resource, amount) -> spec.addToHard(resource, new Quantity(amount)));
        client.resourceQuotas().inNamespace(namespace).resource(spec.endSpec().build()).create();
        Await.until(WAIT, "quota " + name + " has usage", () -> hard.keySet().stream()
                .allMatch(resource -> !used(namespace, name, resource).isEmpty()));
    }

    private static String used(String namespace, String quota, String resource) {
        ResourceQuota q = client.resourceQuotas().inNamespace(namespace).withName(quota).get();
        if (q == null || q.getStatus() == null || q.getStatus().getUsed() == null
                || !q.getStatus().getUsed().containsKey(resource)) {
            return "";
        }
        return q.getStatus().getUsed().get(resource).toString();
    }
}
