package dev.flotilla.storage.cache;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of all watch caches, read by the API server's metrics registry (this module stays free
 * of a metrics library).
 */
public final class WatchCacheMetrics {

    private final AtomicLong eventsDispatched = new AtomicLong();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong watchers = new AtomicLong();
    private final AtomicLong lists = new AtomicLong();
    private final AtomicLong slowWatchersClosed = new AtomicLong();

    void dispatched(int toWatchers) {
        eventsDispatched.incrementAndGet();
        deliveries.addAndGet(toWatchers);
    }

    void watcherAdded() {
        watchers.incrementAndGet();
    }

    void watcherRemoved() {
        watchers.decrementAndGet();
    }

    void listed() {
        lists.incrementAndGet();
    }

    void slowWatcherClosed() {
        slowWatchersClosed.incrementAndGet();
    }

    /** Changes etcd reported to all caches. */
    public long eventsDispatched() {
        return eventsDispatched.get();
    }

    /** Change × watcher pairs the caches offered to their watchers. */
    public long deliveries() {
        return deliveries.get();
    }

    /** Client watches being served from caches now. */
    public long watchers() {
        return watchers.get();
    }

    /** Full lists from etcd: each cache's start, and each restart after its etcd watch was lost. */
    public long lists() {
        return lists.get();
    }

    /** Watchers closed because their buffer was full. */
    public long slowWatchersClosed() {
        return slowWatchersClosed.get();
    }
}
