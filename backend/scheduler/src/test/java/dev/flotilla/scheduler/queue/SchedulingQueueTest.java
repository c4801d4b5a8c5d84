package dev.flotilla.scheduler.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.scheduler.cache.PodInfo;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {

    private final AtomicLong now = new AtomicLong();
    private final SchedulingQueue queue = new SchedulingQueue(now::get);

    @Test
    void popsHigherPriorityFirstThenOlder() throws Exception {
        queue.addOrUpdate(pod("old-low", 0));
        now.addAndGet(1);
        queue.addOrUpdate(pod("new-high", 100));
        now.addAndGet(1);
        queue.addOrUpdate(pod("new-low", 0));
        assertThat(queue.pop(Duration.ZERO).key()).isEqualTo("ns/new-high");
        assertThat(queue.pop(Duration.ZERO).key()).isEqualTo("ns/old-low");
        assertThat(queue.pop(Duration.ZERO).key()).isEqualTo("ns/new-low");
    }

    @Test
    void unschedulablePodsWaitForAnEventThenTheirBackoff() throws Exception {
        queue.addOrUpdate(pod("a", 0));
        QueuedPod a = queue.pop(Duration.ZERO);
        queue.requeueUnschedulable(a);
        assertThat(queue.partOf("ns/a")).isEqualTo(SchedulingQueue.Part.UNSCHEDULABLE);
        queue.moveAllToActiveOrBackoff();
        assertThat(queue.partOf("ns/a")).isEqualTo(SchedulingQueue.Part.BACKOFF);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(queue.pop(Duration.ZERO).key()).isEqualTo("ns/a");
    }

    @Test
    void anEventDuringTheAttemptSendsTheFailedPodToBackoffNotThePool() throws Exception {
        queue.addOrUpdate(pod("a", 0));
        QueuedPod a = queue.pop(Duration.ZERO);
        queue.moveAllToActiveOrBackoff();
        queue.requeueUnschedulable(a);
        assertThat(queue.partOf("ns/a")).isEqualTo(SchedulingQueue.Part.BACKOFF);
    }

    @Test
    void backoffDoublesFromOneSecondToTen() {
        assertThat(queue.backoffFor(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(queue.backoffFor(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(queue.backoffFor(9)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void configuredBackoffDoublesFromItsInitialToItsMaximum() {
        SchedulingQueue configured = new SchedulingQueue(now::get, Duration.ofSeconds(3), Duration.ofSeconds(20));
        assertThat(configured.backoffFor(1)).isEqualTo(Duration.ofSeconds(3));
        assertThat(configured.backoffFor(3)).isEqualTo(Duration.ofSeconds(12));
        assertThat(configured.backoffFor(4)).isEqualTo(Duration.ofSeconds(20));
    }

    private static PodInfo pod(String name, int priority) {
        return new PodInfo(new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withNewSpec().addNewContainer().withName("c").endContainer().endSpec().build(), priority);
    }
}
