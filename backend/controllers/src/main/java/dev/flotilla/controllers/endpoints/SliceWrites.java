package dev.flotilla.controllers.endpoints;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slices this controller wrote or deleted per service since the cache last showed all its
 * writes, so that a reconcile can tell whether the informer cache has caught up with them
 * (upstream's endpointSliceTracker). Each write is noted as it succeeds, so a reconcile that fails
 * half way still holds back the next one until the cache shows what it did.
 */
final class SliceWrites {

    /** Past this a write the cache never shows (someone else deleted the slice) stops holding reconciles. */
    private static final long PATIENCE_NANOS = 10_000_000_000L;

    private static final class Writes {
        private volatile long at = System.nanoTime();
        private final Map<String, Long> versions = new ConcurrentHashMap<>();
    }

    private final Map<String, Writes> written = new ConcurrentHashMap<>();

    void wrote(String serviceKey, EndpointSlice slice) {
        note(serviceKey, slice.getMetadata().getName(), version(slice));
    }

    void deleted(String serviceKey, EndpointSlice slice) {
        note(serviceKey, slice.getMetadata().getName(), -1L);
    }

    private void note(String serviceKey, String name, long version) {
        Writes writes = written.computeIfAbsent(serviceKey, k -> new Writes());
        writes.at = System.nanoTime();
        writes.versions.put(name, version);
    }

    /** Whether the cached slices show every write noted for the service; once they do, the notes go. */
    boolean seenBy(String serviceKey, List<EndpointSlice> cached) {
        Writes writes = written.get(serviceKey);
        if (writes == null || System.nanoTime() - writes.at > PATIENCE_NANOS) {
            written.remove(serviceKey);
            return true;
        }
        Map<String, Long> have = new HashMap<>();
        cached.forEach(s -> have.put(s.getMetadata().getName(), version(s)));
        for (var entry : writes.versions.entrySet()) {
            Long version = have.get(entry.getKey());
            boolean seen = entry.getValue() < 0 ? version == null : version != null && version >= entry.getValue();
            if (!seen) {
                return false;
            }
        }
        written.remove(serviceKey);
        return true;
    }

    private static long version(EndpointSlice slice) {
        try {
            return Long.parseLong(slice.getMetadata().getResourceVersion());
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
