package dev.flotilla.apiserver.metrics;

import dev.flotilla.storage.cache.WatchCacheMetrics;
import dev.flotilla.storage.cache.WatchCaches;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

/** The watch caches' counters on {@code /metrics} ({@code flotilla_watch_cache_*}). */
@Context
public class WatchCacheMeters {

    public WatchCacheMeters(MeterRegistry registry, WatchCaches caches) {
        WatchCacheMetrics metrics = caches.metrics();
        FunctionCounter.builder("flotilla.watch.cache.events", metrics, WatchCacheMetrics::eventsDispatched)
                .description("Changes from etcd applied to the watch caches").register(registry);
        FunctionCounter.builder("flotilla.watch.cache.deliveries", metrics, WatchCacheMetrics::deliveries)
                .description("Changes offered to client watchers (one per change and watcher)").register(registry);
        FunctionCounter.builder("flotilla.watch.cache.lists", metrics, WatchCacheMetrics::lists)
                .description("Full etcd lists: cache starts and relists after a lost etcd watch").register(registry);
        FunctionCounter.builder("flotilla.watch.cache.slow.watchers.closed", metrics,
                        WatchCacheMetrics::slowWatchersClosed)
                .description("Client watches closed because they fell behind").register(registry);
        Gauge.builder("flotilla.watch.cache.watchers", metrics, WatchCacheMetrics::watchers)
                .description("Client watches served from the watch caches").register(registry);
    }
}
