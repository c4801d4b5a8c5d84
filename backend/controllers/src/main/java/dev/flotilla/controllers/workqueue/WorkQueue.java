package dev.flotilla.controllers.workqueue;

import dev.flotilla.api.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A controller's queue of keys, with client-go's guarantees: a key waiting is queued once however
 * often it is added; a key being processed is never handed to a second worker at the same time (an
 * add meanwhile queues it again when {@link #done} is called); failed keys come back after their
 * rate limiter's delay. Publishes depth, adds and retries as {@code workqueue_*} metrics tagged
 * with the queue's name.
 */
public final class WorkQueue<T> implements AutoCloseable {

    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private final Set<T> dirty = new HashSet<>();
    private final Set<T> processing = new HashSet<>();
    private final RateLimiter<T> limiter;
    private final ScheduledExecutorService delayed;
    private final Counter adds;
    private final Counter retries;
    private final Gauge depth;
    private final MeterRegistry registry;
    private boolean shuttingDown;

    public WorkQueue(String name, RateLimiter<T> limiter, MeterRegistry registry) {
        this.limiter = limiter;
        this.delayed = DaemonThreads.scheduler(name + "-delayed-adds");
        this.registry = registry;
        depth = Gauge.builder("workqueue.depth", this, WorkQueue::depth).tag("name", name)
                .description("Current depth of the work queue").register(registry);
        adds = Counter.builder("workqueue.adds").tag("name", name)
                .description("Keys added to the work queue").register(registry);
        retries = Counter.builder("workqueue.retries").tag("name", name)
                .description("Keys re-queued after a failed reconcile").register(registry);
    }

    public synchronized void add(T item) {
        if (shuttingDown) {
            return;
        }
        adds.increment();
        if (!dirty.add(item)) {
            return;
        }
        if (!processing.contains(item)) {
            queue.addLast(item);
            notifyAll();
        }
    }

    /** Adds the item once {@code delay} has passed. */
    public void addAfter(T item, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(item);
            return;
        }
        synchronized (this) {
            if (shuttingDown) {
                return;
            }
        }
        delayed.schedule(() -> add(item), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Adds the item after its rate limiter's delay: the retry after a failure. */
    public void addRateLimited(T item) {
        retries.increment();
        addAfter(item, limiter.when(item));
    }

    /** Ends the item's back-off after it succeeded. */
    public void forget(T item) {
        limiter.forget(item);
    }

    public int retries(T item) {
        return limiter.retries(item);
    }

    /** The next item, waiting for one; null once the queue is shut down. */
    public synchronized T take() throws InterruptedException {
        while (queue.isEmpty() && !shuttingDown) {
            wait();
        }
        if (queue.isEmpty()) {
            return null;
        }
        T item = queue.pollFirst();
        processing.add(item);
        dirty.remove(item);
        return item;
    }

    /** Marks the item processed; if it was added meanwhile it is queued again. */
    public synchronized void done(T item) {
        processing.remove(item);
        if (dirty.contains(item)) {
            queue.addLast(item);
            notifyAll();
        }
    }

    public synchronized int depth() {
        return queue.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            shuttingDown = true;
            notifyAll();
        }
        delayed.shutdownNow();
        // A queue of the same name made after a new leader election registers afresh.
        registry.remove(depth);
        registry.remove(adds);
        registry.remove(retries);
    }
}
