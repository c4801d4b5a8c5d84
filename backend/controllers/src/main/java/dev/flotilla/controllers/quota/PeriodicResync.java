package dev.flotilla.controllers.quota;

import dev.flotilla.api.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The quota controllers' full resync: every quota queued again each period, so missed events and lost charges heal. */
final class PeriodicResync {

    private final ScheduledExecutorService executor;

    private PeriodicResync(String name, Duration period, Runnable enqueueAll) {
        executor = DaemonThreads.scheduler(name);
        executor.scheduleAtFixedRate(enqueueAll, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    static PeriodicResync every(Duration period, String name, Runnable enqueueAll) {
        return new PeriodicResync(name, period, enqueueAll);
    }

    void stop() {
        executor.shutdownNow();
    }
}
