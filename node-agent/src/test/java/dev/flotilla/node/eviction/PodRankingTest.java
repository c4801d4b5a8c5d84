package dev.flotilla.node.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodRankingTest {

    private static final long MI = 1024L * 1024;

    static Pod pod(String name, Integer priority, String memoryRequest) {
        var container = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("main").withImage("busybox");
        if (memoryRequest != null) {
            container.withNewResources().addToRequests("memory", new Quantity(memoryRequest)).endResources();
        }
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name).endMetadata()
                .withNewSpec().withPriority(priority).addToContainers(container.build()).endSpec().build();
    }

    static PodUsage memory(long bytes) {
        return new PodUsage(Map.of("main", bytes), Map.of("main", 0L), 0);
    }

    @Test
    void memoryUsageAboveRequestsComesFirstThenPriorityThenUsageAboveRequest() {
        Pod withinRequest = pod("within", 0, "200Mi");
        Pod overLowPriority = pod("over-low", -10, "10Mi");
        Pod overSmall = pod("over-small", 0, "100Mi");
        Pod overLarge = pod("over-large", 0, null);
        Pod overHighPriority = pod("over-high", 1000, null);
        Map<String, PodUsage> usage = Map.of(
                "uid-within", memory(150 * MI),
                "uid-over-low", memory(20 * MI),
                "uid-over-small", memory(120 * MI),
                "uid-over-large", memory(300 * MI),
                "uid-over-high", memory(900 * MI));
        List<Pod> ranked = PodRanking.rank(List.of(withinRequest, overHighPriority, overSmall, overLarge, overLowPriority),
                Signal.MEMORY_AVAILABLE, usage);
        assertThat(ranked).extracting(p -> p.getMetadata().getName())
                .containsExactly("over-low", "over-large", "over-small", "over-high", "within");
    }

    @Test
    void podsWithoutFiguresGoFirst() {
        List<Pod> ranked = PodRanking.rank(List.of(pod("measured", 0, null), pod("unknown", 100, null)),
                Signal.MEMORY_AVAILABLE, Map.of("uid-measured", memory(10 * MI)));
        assertThat(ranked).extracting(p -> p.getMetadata().getName()).containsExactly("unknown", "measured");
    }

    @Test
    void diskRanksByEphemeralStorageAndPidsByPriority() {
        Pod small = pod("small", 0, null);
        Pod big = pod("big", 0, null);
        Map<String, PodUsage> usage = Map.of(
                "uid-small", new PodUsage(Map.of("main", 900 * MI), Map.of("main", MI), 0),
                "uid-big", new PodUsage(Map.of("main", MI), Map.of("main", MI), 500 * MI));
        assertThat(PodRanking.rank(List.of(small, big), Signal.NODEFS_AVAILABLE, usage))
                .extracting(p -> p.getMetadata().getName()).containsExactly("big", "small");
        assertThat(PodRanking.rank(List.of(pod("high", 10, null), pod("low", 1, null)), Signal.PID_AVAILABLE, usage))
                .extracting(p -> p.getMetadata().getName()).containsExactly("low", "high");
    }
}
