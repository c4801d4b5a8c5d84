package dev.flotilla.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PodWorkersTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Integer> syncs = new ConcurrentHashMap<>();
    private final PodWorkers workers = new PodWorkers(pool, timers, uid -> syncs.merge(uid, 1, Integer::sum));

    @AfterEach
    void stop() {
        pool.shutdownNow();
        timers.shutdownNow();
    }

    @Test
    void retriesAskedForManyTimesSyncThePodOnceAtTheEarliestTime() {
        for (int i = 0; i < 50; i++) {
            workers.enqueueAfter("waiting", Duration.ofMillis(300 + i));
        }
        workers.enqueueAfter("waiting", Duration.ofMillis(100));
        workers.enqueueAfter("later", Duration.ofMillis(600)); // fires after every timer of "waiting"

        Await.until(Duration.ofSeconds(10), "the later pod synced", () -> syncs.containsKey("later"));
        assertThat(syncs.get("waiting")).as("one sync, not one per retry asked for").isEqualTo(1);
    }

    @Test
    void stoppingPodsRunOnTheirOwnPoolAndNeverHoldUpOthers() throws Exception {
        ExecutorService starts = Executors.newFixedThreadPool(1, r -> new Thread(r, "start"));
        ExecutorService stops = Executors.newCachedThreadPool(r -> new Thread(r, "stop"));
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        deleted.addAll(Set.of("stopping-1", "stopping-2"));
        CountDownLatch graceOver = new CountDownLatch(1);
        Map<String, String> lastThread = new ConcurrentHashMap<>();
        PodWorkers[] self = new PodWorkers[1];
        self[0] = new PodWorkers(starts, stops, deleted::contains, timers, uid -> {
            lastThread.put(uid, Thread.currentThread().getName());
            syncs.merge(uid, 1, Integer::sum);
            if (uid.startsWith("stopping")) {
                await(graceOver); // a container taking its grace period to stop
            } else if (uid.equals("deleted-while-syncing") && syncs.get(uid) == 1) {
                deleted.add(uid);
                self[0].enqueue(uid); // the deletion's event, during the sync
            }
        });
        try {
            self[0].enqueue("stopping-1");
            self[0].enqueue("stopping-2");
            self[0].enqueue("starting");
            Await.until(Duration.ofSeconds(10), "the new pod synced while two others stop", () -> syncs.containsKey("starting"));
            assertThat(lastThread).containsEntry("starting", "start").containsEntry("stopping-1", "stop");

            self[0].enqueue("deleted-while-syncing");
            Await.until(Duration.ofSeconds(10), "its second pass", () -> syncs.getOrDefault("deleted-while-syncing", 0) == 2);
            assertThat(lastThread).as("the pass after the deletion left the start pool")
                    .containsEntry("deleted-while-syncing", "stop");
        } finally {
            graceOver.countDown();
            starts.shutdownNow();
            stops.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
