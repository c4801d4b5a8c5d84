package dev.flotilla.controllers.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aKeyAddedTwiceWhileWaitingIsHandedOutOnce() throws Exception {
        try (WorkQueue<String> queue = new WorkQueue<>("test", RateLimiter.controllerDefault(), registry)) {
            queue.add("a");
            queue.add("b");
            queue.add("a");
            assertThat(queue.depth()).isEqualTo(2);
            assertThat(queue.take()).isEqualTo("a");
            assertThat(queue.take()).isEqualTo("b");
            assertThat(queue.depth()).isZero();
            assertThat(registry.get("workqueue.adds").tag("name", "test").counter().count()).isEqualTo(3);
        }
    }

    @Test
    void aKeyAddedWhileBeingProcessedComesBackOnlyAfterDone() throws Exception {
        try (WorkQueue<String> queue = new WorkQueue<>("test", RateLimiter.controllerDefault(), registry)) {
            queue.add("a");
            String taken = queue.take();
            queue.add("a");
            assertThat(queue.depth()).as("not handed to a second worker meanwhile").isZero();
            queue.done(taken);
            assertThat(queue.depth()).isEqualTo(1);
            assertThat(queue.take()).isEqualTo("a");
        }
    }

    @Test
    void rateLimitedAddsComeBackAfterTheirDelayAndCountRetries() throws Exception {
        try (WorkQueue<String> queue = new WorkQueue<>("test", RateLimiter.controllerDefault(), registry)) {
            queue.addRateLimited("a");
            queue.addRateLimited("a");
            assertThat(queue.retries("a")).isEqualTo(2);
            CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("a");
            queue.forget("a");
            assertThat(queue.retries("a")).isZero();
            assertThat(registry.get("workqueue.retries").tag("name", "test").counter().count()).isEqualTo(2);
        }
    }

    @Test
    void takeReturnsNullOnceShutDown() throws Exception {
        WorkQueue<String> queue = new WorkQueue<>("test", RateLimiter.controllerDefault(), registry);
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        queue.close();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isNull();
        queue.add("late");
        assertThat(queue.depth()).isZero();
        assertThat(registry.find("workqueue.depth").gauge()).as("metrics removed with the queue").isNull();
    }

    @Test
    void itemBackoffDoublesFromFiveMillisecondsUpToTheCap() {
        ItemExponentialBackoff<String> backoff = new ItemExponentialBackoff<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
        assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(5));
        assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(10));
        assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(20));
        assertThat(backoff.when("b")).as("per item").isEqualTo(Duration.ofMillis(5));
        for (int i = 0; i < 100; i++) {
            backoff.when("a");
        }
        assertThat(backoff.when("a")).isEqualTo(Duration.ofSeconds(1000));
        backoff.forget("a");
        assertThat(backoff.when("a")).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void tokenBucketAllowsItsBurstThenSpacesRetries() {
        TokenBucket<String> bucket = new TokenBucket<>(10, 100);
        for (int i = 0; i < 100; i++) {
            assertThat(bucket.when("x" + i)).isZero();
        }
        assertThat(bucket.when("y")).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(bucket.when("z")).isBetween(Duration.ofMillis(150), Duration.ofMillis(200));
    }
}
