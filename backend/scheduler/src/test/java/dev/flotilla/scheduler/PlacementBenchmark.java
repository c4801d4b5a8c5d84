package dev.flotilla.scheduler;

import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.cache.SchedulerCache;
import dev.flotilla.scheduler.config.SchedulerConfiguration;
import dev.flotilla.scheduler.framework.PodPlacement;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduling algorithm alone (filter, score, assume; no API calls), run by hand:
 * {@code mvn -pl backend/scheduler test -Dtest=PlacementBenchmark -Dbench.nodes=5000 -Dbench.pods=10000
 * [-Dbench.kind=basic|anti-affinity|spread]}. Shows how much of the end-to-end budget the algorithm
 * itself takes. {@code anti-affinity}: every pod has required anti-affinity (hostname) against its
 * group of 10; {@code spread}: every pod has a DoNotSchedule zone constraint (maxSkew 1, 50 zones)
 * over its group, as upstream scheduler_perf's SchedulingPodAntiAffinity / TopologySpreading.
 */
class PlacementBenchmark {

    @Test
    void measure() {
        int nodes = Integer.getInteger("bench.nodes", 5000);
        int pods = Integer.getInteger("bench.pods", 10000);
        String kind = System.getProperty("bench.kind", "basic");
        SchedulerCache cache = new SchedulerCache();
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity("32"), "memory", new Quantity("128Gi"),
                "pods", new Quantity("110"));
        for (int i = 0; i < nodes; i++) {
            cache.upsertNode(new NodeBuilder().withNewMetadata().withName("node-" + i)
                    .withLabels(Map.of("kubernetes.io/hostname", "node-" + i, "topology.kubernetes.io/zone", "zone-" + i % 50))
                    .endMetadata().withNewSpec().endSpec()
                    .withNewStatus().withAllocatable(capacity).withCapacity(capacity).endStatus().build());
        }
        PodPlacement placement = new PodPlacement(ProfileFactory.standalone()
                .build(SchedulerConfiguration.defaults().profiles().get(0)), 0);
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < pods; i++) {
                String group = "g" + round + "-" + i % 10;
                PodBuilder builder = new PodBuilder().withNewMetadata().withName("p" + round + "-" + i)
                        .withNamespace("bench").addToLabels("group", group).endMetadata().withNewSpec().addNewContainer()
                        .withName("app").withNewResources().addToRequests("cpu", new Quantity("100m"))
                        .addToRequests("memory", new Quantity("500Mi")).endResources().endContainer().endSpec();
                if (kind.equals("anti-affinity")) {
                    builder.editSpec().withNewAffinity().withNewPodAntiAffinity()
                            .addNewRequiredDuringSchedulingIgnoredDuringExecution().withNewLabelSelector()
                            .addToMatchLabels("group", group).endLabelSelector().withTopologyKey("kubernetes.io/hostname")
                            .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec();
                } else if (kind.equals("spread")) {
                    builder.editSpec().addNewTopologySpreadConstraint().withMaxSkew(1)
                            .withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable("DoNotSchedule")
                            .withNewLabelSelector().addToMatchLabels("group", group).endLabelSelector()
                            .endTopologySpreadConstraint().endSpec();
                }
                PodInfo pod = new PodInfo(builder.build(), 0);
                cache.locked(() -> {
                    PodPlacement.Result result = placement.place(pod, cache.nodes());
                    if (result.scheduled()) {
                        cache.assume(pod, result.nodeName());
                    }
                    return result;
                });
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("placement (%s) round %d: %d pods on %d nodes in %.2f s: %.0f pods/s%n",
                    kind, round, pods, nodes, seconds, pods / seconds);
        }
    }
}
