package dev.flotilla.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A shutdown that comes while a new term starts its workers (the lease won just before the process
 * stops): the close waits for the start, then stops every worker, and throws nothing.
 */
class LeaderTermTest {

    private static final String NAME = "leaderterm-test";

    @Test
    void closeWhileWorkersStartWaitsAndStopsThemAll() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Controller slowToStart = new Controller() {
            private int asked;

            @Override
            public String name() {
                return NAME;
            }

            @Override
            public int workers() {
                // The second worker's start is held until the close is under way.
                if (++asked == 2) {
                    starting.countDown();
                    await(release);
                }
                return 3;
            }

            @Override
            public void register(ControllerContext context, WorkQueue<String> queue) {
            }

            @Override
            public void reconcile(String key) {
            }
        };
        LeaderTerm term = new LeaderTerm(null, new SimpleMeterRegistry(), Duration.ofMinutes(10), List.of(() -> slowToStart));

        Thread starter = new Thread(term::start, "starter");
        starter.start();
        assertThat(starting.await(10, TimeUnit.SECONDS)).as("the workers started").isTrue();

        AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                term.close();
            } catch (Throwable t) {
                closeFailure.set(t);
            }
        }, "closer");
        closer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (closer.getState() != Thread.State.BLOCKED && closer.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(closer.getState()).as("close waits for the workers being started").isEqualTo(Thread.State.BLOCKED);

        release.countDown();
        starter.join(10_000);
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(closeFailure.get()).isNull();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith(NAME + "-controller-"));

        term.close(); // a second close (lost lease and shutdown together) is harmless
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
