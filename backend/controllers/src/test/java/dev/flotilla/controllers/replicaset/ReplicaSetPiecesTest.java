package dev.flotilla.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReplicaSetPiecesTest {

    @Test
    void deletionPrefersUnscheduledThenPendingThenNotReadyThenNewest() {
        Pod unscheduled = pod("unscheduled", null, "Pending", false, "2026-01-01T00:00:00Z");
        Pod pending = pod("pending", "n1", "Pending", false, "2026-01-01T00:00:00Z");
        Pod notReady = pod("not-ready", "n1", "Running", false, "2026-01-01T00:00:00Z");
        Pod readyOld = pod("ready-old", "n2", "Running", true, "2026-01-01T00:00:00Z");
        Pod readyNew = pod("ready-new", "n3", "Running", true, "2026-01-02T00:00:00Z");
        List<Pod> order = PodDeletionOrder.pick(List.of(readyOld, readyNew, notReady, pending, unscheduled), 5);
        assertThat(order).extracting(p -> p.getMetadata().getName())
                .containsExactly("unscheduled", "pending", "not-ready", "ready-new", "ready-old");
    }

    @Test
    void expectationsHoldUntilEveryCreationAndDeletionIsObserved() {
        Expectations expectations = new Expectations();
        assertThat(expectations.satisfied("ns/rs")).isTrue();
        expectations.expectCreations("ns/rs", 2);
        expectations.creationObserved("ns/rs");
        assertThat(expectations.satisfied("ns/rs")).isFalse();
        expectations.creationObserved("ns/rs");
        assertThat(expectations.satisfied("ns/rs")).isTrue();
        expectations.expectDeletions("ns/rs", List.of("ns/a", "ns/b"));
        expectations.deletionObserved("ns/rs", "ns/a");
        expectations.deletionObserved("ns/rs", "ns/a");
        assertThat(expectations.satisfied("ns/rs")).as("the same pod seen twice counts once").isFalse();
        expectations.deletionObserved("ns/rs", "ns/b");
        assertThat(expectations.satisfied("ns/rs")).isTrue();
    }

    @Test
    void slowStartDoublesBatchesAndStopsAtTheFirstFailingBatch() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            AtomicInteger calls = new AtomicInteger();
            SlowStart.Outcome all = SlowStart.run(executor, 10, 1, () -> {
                calls.incrementAndGet();
                return null;
            });
            assertThat(all.successes()).isEqualTo(10);
            assertThat(all.failure()).isNull();

            AtomicInteger attempts = new AtomicInteger();
            SlowStart.Outcome failing = SlowStart.run(executor, 100, 1, () -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("refused");
            });
            assertThat(failing.successes()).isZero();
            assertThat(attempts.get()).as("one call, not a hundred").isEqualTo(1);
            assertThat(failing.failure()).hasMessage("refused");
        } finally {
            executor.shutdownNow();
        }
    }

    private static Pod pod(String name, String node, String phase, boolean ready, String created) {
        return new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp(created).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(phase).addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime(created).endCondition().endStatus().build();
    }
}
