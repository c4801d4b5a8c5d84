package dev.flotilla.storage.cache;

import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's watch on a {@link WatchCache}: a bounded buffer of events that a shared delivery
 * pool drains into the listener, one call at a time, in revision order.
 *
 * <p>The cache only ever {@link #offer}s (never waits), so one slow client cannot hold up the
 * others: when its buffer is full it is terminated ({@link WatchListener#onError}) and, like a
 * client of upstream's cacher, re-watches from the last resourceVersion it received.
 */
final class CacheWatcher implements Watch {

    private static final Logger LOG = LoggerFactory.getLogger(CacheWatcher.class);
    /** Events handed to the listener per turn on a pool thread, so many watchers share the pool fairly. */
    private static final int BATCH = 64;

    private final String keyPrefix;
    private final WatchListener listener;
    private final int capacity;
    private final Executor delivery;
    private final Consumer<CacheWatcher> onClosed;

    private final ArrayDeque<WatchEvent> buffer = new ArrayDeque<>();
    private final long afterRevision;
    private boolean scheduled;
    private boolean closed;
    private StorageException ending;

    CacheWatcher(String keyPrefix, long afterRevision, WatchListener listener, int capacity, Executor delivery,
            Consumer<CacheWatcher> onClosed) {
        this.keyPrefix = keyPrefix;
        this.afterRevision = afterRevision;
        this.listener = listener;
        this.capacity = capacity;
        this.delivery = delivery;
        this.onClosed = onClosed;
    }

    /**
     * Queues an event if it is under this watcher's prefix and after its start.
     *
     * @param replay true while the cache replays its ring at registration, which may exceed the buffer
     * @return false when the buffer was full (the caller then terminates this watcher)
     */
    synchronized boolean offer(WatchEvent event, boolean replay) {
        if (closed || event.revision() <= afterRevision || !event.key().startsWith(keyPrefix)) {
            return true;
        }
        if (!replay && buffer.size() >= capacity) {
            return false;
        }
        buffer.add(event);
        schedule();
        return true;
    }

    /** Ends the watch with {@code reason}: pending events are dropped, the listener hears the error next. */
    void terminate(StorageException reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            buffer.clear();
            ending = reason;
            schedule();
        }
        onClosed.accept(this);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            buffer.clear();
        }
        onClosed.accept(this);
    }

    private void schedule() {
        if (scheduled) {
            return;
        }
        scheduled = true;
        try {
            delivery.execute(this::drain);
        } catch (RejectedExecutionException shuttingDown) {
            scheduled = false;
            buffer.clear();
            closed = true;
        }
    }

    /** Runs on the delivery pool; {@code scheduled} guarantees one drain per watcher at a time. */
    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            WatchEvent next;
            StorageException error = null;
            synchronized (this) {
                next = buffer.poll();
                if (next == null) {
                    error = ending;
                    ending = null;
                    if (error == null) {
                        scheduled = false;
                        return;
                    }
                }
            }
            try {
                if (next != null) {
                    listener.onEvent(next);
                } else {
                    listener.onError(error);
                    synchronized (this) {
                        scheduled = false;
                    }
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("a watcher on {} failed; closing it", keyPrefix, e);
                close();
            }
        }
        synchronized (this) {
            scheduled = false;
            if (!buffer.isEmpty() || ending != null) {
                schedule();
            }
        }
    }
}
