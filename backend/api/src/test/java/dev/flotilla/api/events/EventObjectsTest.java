package dev.flotilla.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventObjectsTest {

    @Test
    void anObjectsEventsAreNamedInTheOrderTheyWereMadeAndNeverTwiceAlike() {
        Pod pod = new PodBuilder().withNewMetadata().withName("pi-x7k2q").withNamespace("jobs").withUid("u1")
                .endMetadata().build();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            names.add(EventObjects.of(pod, "Normal", "Created", "Created container main", "kubelet", "node-1")
                    .getMetadata().getName());
        }
        // Many in the same microsecond: still distinct, and a list in name order is the order of making.
        assertThat(names).doesNotHaveDuplicates().isSorted().allMatch(n -> n.matches("pi-x7k2q\\.[0-9a-f]{16}"));
    }
}
