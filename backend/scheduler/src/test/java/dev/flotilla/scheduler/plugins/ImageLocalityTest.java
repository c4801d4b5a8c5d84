package dev.flotilla.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ImageLocalityTest {

    private static final long MB = 1024L * 1024;
    private final ImageLocality plugin = new ImageLocality();

    @Test
    void scoresImageSizeScaledByHowManyNodesHaveIt() {
        TestCluster cluster = new TestCluster()
                .node("a", Map.of(), image("registry.local/app:1", 500 * MB))
                .node("b", Map.of())
                .node("c", Map.of(), image("registry.local/app:1", 500 * MB));

        // 500 MiB * 2/3 nodes = 333 MiB, from the 23 MiB floor to the 1000 MiB ceiling: 31.
        assertThat(cluster.score(plugin, pod("registry.local/app:1")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 31L, "b", 0L, "c", 31L));
    }

    @Test
    void clampsToTheThresholdsAndTreatsAMissingTagAsLatest() {
        TestCluster cluster = new TestCluster()
                .node("a", Map.of(), image("registry.local/big:latest", 3000 * MB))
                .node("b", Map.of(), image("registry.local/tiny:1", 10 * MB));

        assertThat(cluster.score(plugin, pod("registry.local/big")).get("a")).isEqualTo(100L);
        assertThat(cluster.score(plugin, pod("registry.local/tiny:1")).get("b")).as("below 23 MiB").isZero();
    }

    private static UnaryOperator<NodeBuilder> image(String name, long size) {
        return n -> n.editStatus().addToImages(new ContainerImageBuilder().withNames(name).withSizeBytes(size).build())
                .endStatus();
    }

    private static Pod pod(String image) {
        return TestCluster.pod("p", "ns", Map.of(), p -> p.editSpec().editFirstContainer().withImage(image)
                .endContainer().endSpec());
    }
}
