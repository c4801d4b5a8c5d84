package dev.flotilla.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeAffinityTest {

    @Test
    void addedAffinityFiltersEveryPodOfTheProfileAndAddsItsPreferences() {
        TestCluster cluster = new TestCluster().node("batch-ssd", Map.of("pool", "batch", "disk", "ssd"))
                .node("batch-hdd", Map.of("pool", "batch")).node("web", Map.of("pool", "web"));
        NodeAffinity plugin = new NodeAffinity(new NodeAffinityBuilder()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("pool").withOperator("In")
                        .withValues("batch").build())
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(10).withNewPreference()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("disk").withOperator("Exists").build())
                .endPreference().endPreferredDuringSchedulingIgnoredDuringExecution().build());
        var pod = TestCluster.pod("job", "ns", Map.of(), p -> p);

        var results = cluster.filter(plugin, pod);
        assertThat(results.get("batch-ssd").fits()).isTrue();
        assertThat(results.get("batch-hdd").fits()).isTrue();
        assertThat(results.get("web").reasons()).containsExactly(NodeAffinity.REASON);
        assertThat(cluster.score(plugin, pod)).containsEntry("batch-ssd", 100L).containsEntry("batch-hdd", 0L);
        // Without added affinity the same pod may go anywhere.
        assertThat(cluster.filter(new NodeAffinity(), pod).values()).allMatch(r -> r.fits());
    }
}
