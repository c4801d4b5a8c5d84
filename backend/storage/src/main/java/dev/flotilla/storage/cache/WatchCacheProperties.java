package dev.flotilla.storage.cache;

import io.micronaut.context.annotation.ConfigurationProperties;

/** {@code flotilla.watch-cache.*}: sizes of the API server's watch caches. */
@ConfigurationProperties("flotilla.watch-cache")
public class WatchCacheProperties {

    /** Off: every list and watch reads etcd directly, as before the cache existed. */
    private boolean enabled = true;
    /** Recent changes kept per resource; watches from an older resourceVersion go to etcd. */
    private int eventRingSize = 10_000;
    /** Events queued for one client watch before it counts as too slow and is closed. */
    private int watcherBuffer = 1_000;
    /** Threads that hand events to client watches (JSON encoding happens there). */
    private int deliveryThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getEventRingSize() {
        return eventRingSize;
    }

    public void setEventRingSize(int eventRingSize) {
        this.eventRingSize = eventRingSize;
    }

    public int getWatcherBuffer() {
        return watcherBuffer;
    }

    public void setWatcherBuffer(int watcherBuffer) {
        this.watcherBuffer = watcherBuffer;
    }

    public int getDeliveryThreads() {
        return deliveryThreads;
    }

    public void setDeliveryThreads(int deliveryThreads) {
        this.deliveryThreads = deliveryThreads;
    }
}
