package dev.flotilla.apiserver.admission.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QuotaWorkQueueTest {

    @Test
    void aWorkerTakesEverythingWaitingForOneKeyInOrder() throws Exception {
        QuotaWorkQueue<String> queue = new QuotaWorkQueue<>(100);
        queue.add("ns/a", "1");
        queue.add("ns/b", "x");
        queue.add("ns/a", "2");
        queue.add("ns/a", "3");
        QuotaWorkQueue.Batch<String> first = queue.take().orElseThrow();
        assertThat(first.key()).isEqualTo("ns/a");
        assertThat(first.items()).containsExactly("1", "2", "3");
        assertThat(queue.take().orElseThrow().items()).containsExactly("x");
    }

    @Test
    void aKeyInProgressIsNotHandedToASecondWorkerUntilDone() throws Exception {
        QuotaWorkQueue<String> queue = new QuotaWorkQueue<>(100);
        queue.add("ns/a", "1");
        assertThat(queue.take().orElseThrow().items()).containsExactly("1");
        queue.add("ns/a", "2");
        queue.add("ns/a", "3");
        CompletableFuture<QuotaWorkQueue.Batch<String>> second = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                second.complete(queue.take().orElseThrow());
            } catch (InterruptedException | RuntimeException e) {
                second.completeExceptionally(e);
            }
        });
        worker.start();
        // The negative case: the second worker must be parked in take(), handed nothing, while ns/a is in progress.
        Await.until(Duration.ofSeconds(5), "the second worker waiting in take()",
                () -> worker.getState() == Thread.State.WAITING || second.isDone());
        assertThat(second).isNotDone();
        assertThat(queue.waitingFor("ns/a")).isEqualTo(2);
        queue.done("ns/a");
        assertThat(second.get(5, TimeUnit.SECONDS).items()).containsExactly("2", "3");
    }

    @Test
    void aBatchHoldsAtMostMaxBatchAndTheRestFollows() throws Exception {
        QuotaWorkQueue<Integer> queue = new QuotaWorkQueue<>(2);
        for (int i = 0; i < 5; i++) {
            queue.add("ns/a", i);
        }
        assertThat(queue.take().orElseThrow().items()).containsExactly(0, 1);
        queue.done("ns/a");
        assertThat(queue.take().orElseThrow().items()).containsExactly(2, 3);
        queue.done("ns/a");
        assertThat(queue.take().orElseThrow().items()).isEqualTo(List.of(4));
    }

    @Test
    void closingWakesWaitingWorkersAndRefusesNewWork() throws Exception {
        QuotaWorkQueue<String> queue = new QuotaWorkQueue<>(10);
        CompletableFuture<Boolean> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take().isPresent();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        queue.close();
        assertThat(taken.get(5, TimeUnit.SECONDS)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> queue.add("ns/a", "late"))
                .isInstanceOf(IllegalStateException.class);
    }
}
