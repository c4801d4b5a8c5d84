package dev.flotilla.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.scheduler.plugins.ScoringStrategy.ResourceWeight;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringStrategyTest {

    private static final ShapeFunction BIN_PACKING = new ShapeFunction(
            List.of(new ShapeFunction.Point(0, 0), new ShapeFunction.Point(100, 100)));

    @Test
    void leastAndMostAllocatedAverageTheResourceScoresByWeight() {
        // Upstream's "differently sized nodes" case: 3000m cpu and 5000 bytes on 4000m/10000 and 6000m/10000.
        ScoringStrategy most = new ScoringStrategy(ScoringStrategy.Type.MostAllocated, ScoringStrategy.DEFAULT_RESOURCES, null);
        assertThat(most.score(new long[] {3000, 5000}, new long[] {4000, 10000})).isEqualTo(62);
        assertThat(most.score(new long[] {3000, 5000}, new long[] {6000, 10000})).isEqualTo(50);
        ScoringStrategy least = ScoringStrategy.leastAllocated();
        assertThat(least.score(new long[] {3000, 5000}, new long[] {4000, 10000})).isEqualTo(37);
        assertThat(least.score(new long[] {3000, 5000}, new long[] {6000, 10000})).isEqualTo(50);
        // Requests beyond capacity: MostAllocated counts the resource as full, LeastAllocated as 0.
        assertThat(most.score(new long[] {5000, 5000}, new long[] {4000, 10000})).isEqualTo(75);
        assertThat(least.score(new long[] {5000, 5000}, new long[] {4000, 10000})).isEqualTo(25);
        ScoringStrategy weighted = new ScoringStrategy(ScoringStrategy.Type.MostAllocated,
                List.of(new ResourceWeight("cpu", 3), new ResourceWeight("memory", 1)), null);
        assertThat(weighted.score(new long[] {3000, 5000}, new long[] {4000, 10000})).isEqualTo((75 * 3 + 50) / 4);
        // A resource the node has none of is left out of the average.
        assertThat(most.score(new long[] {3000, 5000}, new long[] {4000, 0})).isEqualTo(75);
    }

    @Test
    void requestedToCapacityRatioFollowsUpstreamsBinPackingExample() {
        // kubernetes.io "Resource Bin Packing": shape {0: 0, 100: 10}, intel.com/foo weight 5, cpu 3, memory 1.
        ScoringStrategy ratio = new ScoringStrategy(ScoringStrategy.Type.RequestedToCapacityRatio,
                List.of(new ResourceWeight("intel.com/foo", 5), new ResourceWeight("memory", 1), new ResourceWeight("cpu", 3)),
                BIN_PACKING);
        long mi = 1024 * 1024;
        // Node 1: foo 3 of 4 (75), memory 512Mi of 1Gi (50), cpu 3 of 8 (37): (75*5 + 50 + 37*3) / 9 = 59.6.
        assertThat(ratio.score(new long[] {3, 512 * mi, 3000}, new long[] {4, 1024 * mi, 8000})).isEqualTo(60);
        // Node 2: foo 4 of 8 (50), memory 768Mi of 1Gi (75), cpu 8 of 8 (100): (250 + 75 + 300) / 9 = 69.4.
        assertThat(ratio.score(new long[] {4, 768 * mi, 8000}, new long[] {8, 1024 * mi, 8000})).isEqualTo(69);
    }

    @Test
    void aShapeIsBrokenLinearAndFlatOutsideItsPoints() {
        ShapeFunction shape = new ShapeFunction(List.of(new ShapeFunction.Point(10, 10), new ShapeFunction.Point(50, 80),
                new ShapeFunction.Point(90, 20)));
        assertThat(shape.valueAt(0)).isEqualTo(10);
        assertThat(shape.valueAt(10)).isEqualTo(10);
        assertThat(shape.valueAt(30)).isEqualTo(45);
        assertThat(shape.valueAt(50)).isEqualTo(80);
        assertThat(shape.valueAt(70)).isEqualTo(50);
        assertThat(shape.valueAt(100)).isEqualTo(20);
    }

    @Test
    void nodeResourcesFitWithMostAllocatedPrefersTheFullerNodeAndLeastAllocatedTheEmptierOne() {
        TestCluster cluster = new TestCluster().node("busy", Map.of()).node("idle", Map.of())
                .bound(TestCluster.pod("existing", "ns", Map.of(), p -> p.editSpec().editFirstContainer().withNewResources()
                        .addToRequests("cpu", new Quantity("2")).addToRequests("memory", new Quantity("8Gi"))
                        .endResources().endContainer().endSpec()), "busy");
        var pod = TestCluster.pod("new", "ns", Map.of(), p -> p.editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("4Gi"))
                .endResources().endContainer().endSpec());
        // Nodes have 4 cpu and 16Gi: busy ends at 3/4 cpu and 12/16Gi (75 %), idle at 1/4 and 4/16 (25 %).
        NodeResourcesFit most = new NodeResourcesFit(
                new ScoringStrategy(ScoringStrategy.Type.MostAllocated, ScoringStrategy.DEFAULT_RESOURCES, null));
        assertThat(cluster.score(most, pod)).containsEntry("busy", 75L).containsEntry("idle", 25L);
        assertThat(cluster.score(new NodeResourcesFit(), pod)).containsEntry("busy", 25L).containsEntry("idle", 75L);
        NodeResourcesFit ratio = new NodeResourcesFit(new ScoringStrategy(ScoringStrategy.Type.RequestedToCapacityRatio,
                ScoringStrategy.DEFAULT_RESOURCES, BIN_PACKING));
        assertThat(cluster.score(ratio, pod)).containsEntry("busy", 75L).containsEntry("idle", 25L);
    }

    @Test
    void anExtendedResourceThePodDoesNotRequestIsNotScored() {
        TestCluster cluster = new TestCluster().node("gpu", Map.of(), n -> n.editStatus()
                .addToAllocatable("example.com/gpu", new Quantity("4")).endStatus());
        var pod = TestCluster.pod("cpu-only", "ns", Map.of(), p -> p.editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("2")).endResources().endContainer().endSpec());
        NodeResourcesFit fit = new NodeResourcesFit(new ScoringStrategy(ScoringStrategy.Type.MostAllocated,
                List.of(new ResourceWeight("cpu", 1), new ResourceWeight("example.com/gpu", 1)), null));
        // Only cpu counts: 2 of 4 cores.
        assertThat(cluster.score(fit, pod)).containsEntry("gpu", 50L);
    }
}
