package dev.flotilla.storage.cache;

import dev.flotilla.storage.ObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link WatchCache} per resource prefix, each started on first use: a resource nobody lists or
 * watches costs neither memory nor an etcd watch, and a server restart does not list every
 * resource at once. Events reach client watchers on one shared delivery pool.
 */
@Singleton
public class WatchCaches implements AutoCloseable {

    private final ObjectStore store;
    private final WatchCacheProperties properties;
    private final Map<String, WatchCache> caches = new ConcurrentHashMap<>();
    private final WatchCacheMetrics metrics = new WatchCacheMetrics();
    private final ExecutorService delivery;

    public WatchCaches(ObjectStore store, WatchCacheProperties properties) {
        this.store = store;
        this.properties = properties;
        AtomicInteger threads = new AtomicInteger();
        this.delivery = Executors.newFixedThreadPool(properties.getDeliveryThreads(), runnable -> {
            Thread thread = new Thread(runnable, "flotilla-watch-delivery-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The running cache for {@code prefix} (a resource's key prefix ending in {@code /}), listing
     * it first if needed.
     *
     * @throws dev.flotilla.storage.StorageException when etcd cannot be listed or watched
     */
    public WatchCache forPrefix(String prefix) {
        WatchCache cache = caches.computeIfAbsent(prefix, p -> new WatchCache(p, store,
                properties.getEventRingSize(), properties.getWatcherBuffer(), delivery, metrics));
        cache.ensureStarted();
        return cache;
    }

    public boolean enabled() {
        return properties.isEnabled();
    }

    public WatchCacheMetrics metrics() {
        return metrics;
    }

    @PreDestroy
    @Override
    public void close() {
        caches.values().forEach(WatchCache::close);
        delivery.shutdownNow();
    }
}
