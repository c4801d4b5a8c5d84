package dev.flotilla.e2e;

import dev.flotilla.hollownodes.HollowNodeTemplate;
import dev.flotilla.hollownodes.HollowNodes;
import dev.flotilla.testsupport.Await;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Upstream scheduler_perf's SchedulingBasic, end to end through the API server, run by hand:
 * {@code mvn -pl e2e verify -Dit.test=SchedulingThroughputBenchmark '-Dfailsafe.includes=**}{@code /*Benchmark.java'
 * -Dbench.nodes=5000 -Dbench.pods=10000 [-Dbench.kind=basic|anti-affinity|spread]}. Registers N hollow
 * nodes, creates M small pods with 16 concurrent writers, and watches until every pod is bound;
 * prints the create rate and the created-to-bound throughput. {@code anti-affinity}: each pod has
 * required hostname anti-affinity against its group of 10 (upstream's SchedulingPodAntiAffinity);
 * {@code spread}: a DoNotSchedule hostname constraint, maxSkew 1, over its group (hollow nodes share
 * their labels, so no zones). docs/benchmarks.md records the figures.
 */
class SchedulingThroughputBenchmark {

    private static final int WRITERS = 16;
    private static final String HOSTNAME = "kubernetes.io/hostname";

    @Test
    void measure() throws Exception {
        int nodes = Integer.getInteger("bench.nodes", 500);
        int pods = Integer.getInteger("bench.pods", 2000);
        String kind = System.getProperty("bench.kind", "basic");
        // Leases are renewed once a minute (below) and registering takes longer than upstream's 40 s
        // grace period, so the node lifecycle controller is given a longer one.
        try (ControlPlane cluster = ControlPlane.start("--flotilla.controllers.node-monitor-grace-period=5m");
                KubernetesClient client = cluster.fabric8Client()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build()).create();
            long registerStart = System.nanoTime();
            // Leases renewed once a minute so that heartbeats of thousands of nodes do not dominate the load.
            HollowNodes hollow = new HollowNodes(client, HollowNodeTemplate.of("bench-node", nodes)
                    .withCapacity("32", "128Gi", "110").withLeaseRenewInterval(Duration.ofSeconds(60))).start();
            double registerSeconds = (System.nanoTime() - registerStart) / 1e9;
            Await.until(Duration.ofMinutes(2), "scheduler sees the nodes", () -> client.nodes().list().getItems().size() == nodes);

            Set<String> bound = ConcurrentHashMap.newKeySet();
            AtomicLong lastBound = new AtomicLong();
            Watch watch = client.pods().inNamespace("bench").watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    if (pod.getSpec().getNodeName() != null && bound.add(pod.getMetadata().getName())) {
                        lastBound.set(System.nanoTime());
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            });
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            long createStart = System.nanoTime();
            AtomicLong lastCreated = new AtomicLong();
            AtomicInteger created = new AtomicInteger();
            AtomicInteger failedCreates = new AtomicInteger();
            for (int i = 0; i < pods; i++) {
                Pod pod = pod("pod-" + i, "group-" + i % 10, kind);
                writers.submit(() -> {
                    try {
                        client.pods().inNamespace("bench").resource(pod).create();
                        created.incrementAndGet();
                        lastCreated.set(System.nanoTime());
                    } catch (RuntimeException e) {
                        // Under heavy load a create may time out; the pod may or may not exist, so it is not waited for.
                        failedCreates.incrementAndGet();
                    }
                });
            }
            writers.shutdown();
            writers.awaitTermination(30, TimeUnit.MINUTES);
            double createSeconds = (lastCreated.get() - createStart) / 1e9;
            Await.until(Duration.ofMinutes(30), "all created pods bound", () -> bound.size() >= created.get());
            double endToEnd = (lastBound.get() - createStart) / 1e9;
            watch.close();
            hollow.close();
            System.out.printf("Scheduling (%s): %d nodes registered in %.1f s; %d pods created in %.1f s (%.0f/s, %d creates "
                            + "failed); all bound %.1f s after the first create: %.0f pods/s end to end%n",
                    kind, nodes, registerSeconds, bound.size(), createSeconds, created.get() / createSeconds,
                    failedCreates.get(), endToEnd, bound.size() / endToEnd);
        }
    }

    private static Pod pod(String name, String group, String kind) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).addToLabels("group", group).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.local/pause:3.9")
                .withNewResources().addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("500Mi")).endResources().endContainer().endSpec();
        LabelSelector sameGroup = new LabelSelectorBuilder().addToMatchLabels("group", group).build();
        if (kind.equals("anti-affinity")) {
            pod.editSpec().withNewAffinity().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withLabelSelector(sameGroup).withTopologyKey(HOSTNAME).endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endPodAntiAffinity().endAffinity().endSpec();
        } else if (kind.equals("spread")) {
            pod.editSpec().addNewTopologySpreadConstraint().withMaxSkew(1).withTopologyKey(HOSTNAME)
                    .withWhenUnsatisfiable("DoNotSchedule").withLabelSelector(sameGroup).endTopologySpreadConstraint().endSpec();
        }
        return pod.build();
    }
}
