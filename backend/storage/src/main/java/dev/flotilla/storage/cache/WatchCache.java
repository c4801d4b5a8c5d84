package dev.flotilla.storage.cache;

import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.ObjectStore;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objects under one resource prefix (say {@code /registry/core/pods/}) kept in memory by one
 * etcd list + watch, and a ring of the most recent changes, so lists and watches of that resource
 * need no etcd traffic of their own.
 *
 * <p>It is fed only by etcd, never by this server's own writes, so several API servers on one etcd
 * all see the same history in the same order. {@link #revision()} is the etcd revision the memory
 * shows: the last change applied, or later when etcd reports progress on an idle prefix.
 *
 * <p>Starting lists the prefix page by page at one revision and watches from there. When the etcd
 * watch ends for good (its history was compacted while etcd was away, or etcd refused it) every
 * client watch is ended and the cache starts afresh on its next use. All state is guarded by this
 * object's monitor; fan-out to clients only queues ({@link CacheWatcher}), it never waits on them.
 */
public final class WatchCache {

    private static final Logger LOG = LoggerFactory.getLogger(WatchCache.class);
    private static final int LIST_PAGE = 1000;
    private static final long PROGRESS_REQUEST_MILLIS = 100;

    private final String prefix;
    private final ObjectStore store;
    private final int ringCapacity;
    private final int watcherBuffer;
    private final Executor delivery;
    private final WatchCacheMetrics metrics;

    private final Object startLock = new Object();
    private final TreeMap<String, CachedObject> objects = new TreeMap<>();
    private final ArrayDeque<WatchEvent> ring = new ArrayDeque<>();
    private final Set<CacheWatcher> watchers = ConcurrentHashMap.newKeySet();
    private boolean started;
    private Watch feed;
    private Feed currentFeedListener;
    private long revision;
    /** Watches from this revision or later are served from the ring; older ones are not. */
    private long oldestServable;

    WatchCache(String prefix, ObjectStore store, int ringCapacity, int watcherBuffer, Executor delivery,
            WatchCacheMetrics metrics) {
        this.prefix = prefix;
        this.store = store;
        this.ringCapacity = ringCapacity;
        this.watcherBuffer = watcherBuffer;
        this.delivery = delivery;
        this.metrics = metrics;
    }

    public String prefix() {
        return prefix;
    }

    /**
     * Lists and starts watching if not running yet; storage failures propagate (nothing is kept).
     * jetcd calls the feed holding its own locks, so no etcd call is made holding this monitor.
     */
    void ensureStarted() {
        synchronized (this) {
            if (started) {
                return;
            }
        }
        synchronized (startLock) {
            synchronized (this) {
                if (started) {
                    return;
                }
            }
            long at = 0;
            String after = null;
            TreeMap<String, CachedObject> listed = new TreeMap<>();
            ListResult page;
            do {
                page = store.list(prefix, at, LIST_PAGE, after);
                at = page.revision();
                for (StoredObject object : page.items()) {
                    listed.put(object.key(), new CachedObject(object));
                    after = object.key();
                }
            } while (page.more());
            Feed listener = new Feed();
            synchronized (this) {
                objects.clear();
                objects.putAll(listed);
                ring.clear();
                revision = at;
                oldestServable = at;
                currentFeedListener = listener;
                started = true;
                notifyAll();
            }
            Watch opened;
            try {
                opened = store.watch(prefix, at, listener);
            } catch (RuntimeException e) {
                synchronized (this) {
                    started = false;
                    currentFeedListener = null;
                }
                throw e;
            }
            synchronized (this) {
                feed = opened;
            }
            metrics.listed();
            LOG.debug("watch cache for {} started at revision {} with {} objects", prefix, at, listed.size());
        }
    }

    public synchronized long revision() {
        return revision;
    }

    /**
     * Waits until the cache shows {@code wanted} or later, asking etcd for progress reports
     * meanwhile so an idle prefix catches up too.
     *
     * @return whether it got there within {@code timeout}
     */
    public boolean awaitRevision(long wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (this) {
                if (!started || revision >= wanted) {
                    return started;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Outside the monitor: see ensureStarted.
            store.requestWatchProgress();
            synchronized (this) {
                if (started && revision < wanted) {
                    TimeUnit.NANOSECONDS.timedWait(this,
                            Math.min(left, TimeUnit.MILLISECONDS.toNanos(PROGRESS_REQUEST_MILLIS)));
                }
            }
        }
    }

    /** The object at exactly {@code key} as the cache shows it now, however fresh. */
    public synchronized Optional<StoredObject> get(String key) {
        CachedObject cached = objects.get(key);
        return cached == null ? Optional.empty() : Optional.of(cached.stored());
    }

    /** The objects whose keys start with {@code keyPrefix} (within this cache's prefix), by key. */
    public synchronized CacheSnapshot snapshot(String keyPrefix) {
        List<CachedObject> items = keyPrefix.equals(prefix)
                ? new ArrayList<>(objects.values())
                : new ArrayList<>(objects.subMap(keyPrefix, true, keyPrefix + Character.MAX_VALUE, false).values());
        return new CacheSnapshot(items, revision);
    }

    /**
     * Watches the keys starting with {@code keyPrefix} for changes after {@code fromRevision}, from
     * the ring and then live; empty when the ring no longer reaches back that far (or the cache is
     * restarting), in which case the caller has to go to etcd.
     */
    public synchronized Optional<Watch> watch(String keyPrefix, long fromRevision, WatchListener listener) {
        if (!started || fromRevision < oldestServable) {
            return Optional.empty();
        }
        CacheWatcher watcher = new CacheWatcher(keyPrefix, fromRevision, listener, watcherBuffer, delivery,
                this::removed);
        for (WatchEvent event : ring) {
            watcher.offer(event, true);
        }
        watchers.add(watcher);
        metrics.watcherAdded();
        return Optional.of(watcher);
    }

    private void removed(CacheWatcher watcher) {
        if (watchers.remove(watcher)) {
            metrics.watcherRemoved();
        }
    }

    private synchronized void apply(Feed from, WatchEvent event) {
        if (from != currentFeedListener) {
            return;
        }
        if (event.type() == WatchEvent.Type.PUT) {
            objects.put(event.key(), new CachedObject(event.object()));
        } else {
            objects.remove(event.key());
        }
        ring.add(event);
        while (ring.size() > ringCapacity) {
            oldestServable = Math.max(oldestServable, ring.removeFirst().revision());
        }
        revision = Math.max(revision, event.revision());
        for (CacheWatcher watcher : watchers) {
            if (!watcher.offer(event, false)) {
                metrics.slowWatcherClosed();
                watcher.terminate(new StorageException("watcher on " + prefix + " fell behind: its buffer of "
                        + watcherBuffer + " events is full"));
            }
        }
        metrics.dispatched(watchers.size());
        notifyAll();
    }

    private synchronized void progress(Feed from, long at) {
        if (from == currentFeedListener && at > revision) {
            revision = at;
            notifyAll();
        }
    }

    private synchronized void stopped(Feed from, StorageException error) {
        if (from != currentFeedListener) {
            return;
        }
        LOG.warn("watch cache for {} lost its etcd watch ({}); it relists on next use", prefix, error.getMessage());
        started = false;
        feed = null;
        currentFeedListener = null;
        for (CacheWatcher watcher : List.copyOf(watchers)) {
            watcher.terminate(error);
        }
        notifyAll();
    }

    /** The etcd watch feeding this cache; callbacks from a replaced feed are ignored. */
    private final class Feed implements WatchListener {

        @Override
        public void onEvent(WatchEvent event) {
            apply(this, event);
        }

        @Override
        public void onProgress(long at) {
            progress(this, at);
        }

        @Override
        public void onError(StorageException error) {
            stopped(this, error);
        }
    }

    void close() {
        Watch running;
        synchronized (this) {
            running = feed;
            started = false;
            feed = null;
            currentFeedListener = null;
        }
        if (running != null) {
            running.close();
        }
        for (CacheWatcher watcher : List.copyOf(watchers)) {
            watcher.close();
        }
    }
}
