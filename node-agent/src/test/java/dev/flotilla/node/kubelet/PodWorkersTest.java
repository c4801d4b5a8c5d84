package dev.flotilla.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
}
