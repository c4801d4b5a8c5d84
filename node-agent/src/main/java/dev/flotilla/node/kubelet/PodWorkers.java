package dev.flotilla.node.kubelet;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the sync of each pod (by uid) on a pool, never two at once for the same pod: a request that
 * arrives while the pod is being synced makes one more pass afterwards, however many arrived. Pods
 * that are stopping may be given a pool of their own, so their grace periods never hold up starts.
 */
final class PodWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);

    private final ExecutorService pool;
    private final ExecutorService terminations;
    private final Predicate<String> terminating;
    private final ScheduledExecutorService timers;
    private final Consumer<String> sync;
    private final Set<String> active = new HashSet<>();
    private final Set<String> again = new HashSet<>();
    /** When each pod's one pending timer fires (System.nanoTime), by uid. */
    private final Map<String, Long> dueAt = new HashMap<>();

    PodWorkers(ExecutorService pool, ScheduledExecutorService timers, Consumer<String> sync) {
        this(pool, pool, uid -> false, timers, sync);
    }

    /** Pods {@code terminating} says are stopping are synced on {@code terminations}, the others on {@code pool}. */
    PodWorkers(ExecutorService pool, ExecutorService terminations, Predicate<String> terminating,
            ScheduledExecutorService timers, Consumer<String> sync) {
        this.pool = pool;
        this.terminations = terminations;
        this.terminating = terminating;
        this.timers = timers;
        this.sync = sync;
    }

    synchronized void enqueue(String uid) {
        if (active.contains(uid)) {
            again.add(uid);
            return;
        }
        active.add(uid);
        start(uid);
    }

    private void start(String uid) {
        if (terminating.test(uid)) {
            terminations.execute(() -> run(uid, true));
        } else {
            pool.execute(() -> run(uid, false));
        }
    }

    /**
     * Syncs the pod after {@code delay}; one timer per pod, the earliest asked for wins, so that the
     * retries asked for by every pass over a waiting pod do not pile up into ever more syncs.
     */
    void enqueueAfter(String uid, Duration delay) {
        long millis = Math.max(delay.toMillis(), 1);
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (this) {
            Long pending = dueAt.get(uid);
            if (pending != null && pending - due <= 0) {
                return;
            }
            dueAt.put(uid, due);
        }
        timers.schedule(() -> {
            synchronized (this) {
                if (!Long.valueOf(due).equals(dueAt.get(uid))) {
                    return; // replaced by an earlier timer, which ran or will run
                }
                dueAt.remove(uid);
            }
            enqueue(uid);
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void run(String uid, boolean onTerminations) {
        while (true) {
            try {
                sync.accept(uid);
            } catch (RuntimeException e) {
                LOG.warn("sync of pod {} failed: {}", uid, e.toString());
                enqueueAfter(uid, Duration.ofSeconds(2));
            }
            synchronized (this) {
                if (!again.remove(uid)) {
                    active.remove(uid);
                    return;
                }
                if (!onTerminations && terminating.test(uid)) {
                    start(uid); // deleted meanwhile: the stop does not keep this pool's thread
                    return;
                }
            }
        }
    }
}
