package dev.flotilla.scheduler;

import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.cache.SchedulerCache;
import dev.flotilla.scheduler.framework.PodPlacement;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduling algorithm alone (filter, score, assume; no API calls), run by hand:
 * {@code mvn -pl backend/scheduler test -Dtest=PlacementBenchmark -Dbench.nodes=5000 -Dbench.pods=10000}.
 * Shows how much of the end-to-end budget the algorithm itself takes.
 */
class PlacementBenchmark {

    @Test
    void measure() {
        int nodes = Integer.getInteger("bench.nodes", 5000);
        int pods = Integer.getInteger("bench.pods", 10000);
        SchedulerCache cache = new SchedulerCache();
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity("32"), "memory", new Quantity("128Gi"),
                "pods", new Quantity("110"));
        for (int i = 0; i < nodes; i++) {
            cache.upsertNode(new NodeBuilder().withNewMetadata().withName("node-" + i).endMetadata().withNewSpec().endSpec()
                    .withNewStatus().withAllocatable(capacity).withCapacity(capacity).endStatus().build());
        }
        PodPlacement placement = new PodPlacement(DefaultProfile.named("default-scheduler"), 0);
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < pods; i++) {
                PodInfo pod = new PodInfo(new PodBuilder().withNewMetadata().withName("p" + round + "-" + i)
                        .withNamespace("bench").endMetadata().withNewSpec().addNewContainer().withName("app")
                        .withNewResources().addToRequests("cpu", new Quantity("100m"))
                        .addToRequests("memory", new Quantity("500Mi")).endResources().endContainer().endSpec().build(), 0);
                cache.locked(() -> {
                    PodPlacement.Result result = placement.place(pod, cache.nodes());
                    cache.assume(pod, result.nodeName());
                    return result;
                });
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("placement round %d: %d pods on %d nodes in %.2f s: %.0f pods/s%n",
                    round, pods, nodes, seconds, pods / seconds);
        }
    }
}
