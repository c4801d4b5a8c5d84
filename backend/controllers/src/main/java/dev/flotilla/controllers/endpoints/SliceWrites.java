package dev.flotilla.controllers.endpoints;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slices this controller last wrote or deleted per service, so that a reconcile can tell
 * whether the informer cache has caught up with them (upstream's endpointSliceTracker).
 */
final class SliceWrites {

    /** Past this a write the cache never shows (someone else deleted the slice) stops holding reconciles. */
    private static final long PATIENCE_NANOS = 10_000_000_000L;

    private record Writes(long at, Map<String, Long> versions) {
    }

    private final Map<String, Writes> written = new ConcurrentHashMap<>();

    void record(String serviceKey, List<EndpointSlice> updated, List<EndpointSlice> deleted) {
        Map<String, Long> versions = new HashMap<>();
        updated.forEach(s -> versions.put(s.getMetadata().getName(), version(s)));
        deleted.forEach(s -> versions.put(s.getMetadata().getName(), -1L));
        if (versions.isEmpty()) {
            written.remove(serviceKey);
        } else {
            written.put(serviceKey, new Writes(System.nanoTime(), versions));
        }
    }

    /** Whether the cached slices show every write recorded for the service. */
    boolean seenBy(String serviceKey, List<EndpointSlice> cached) {
        Writes writes = written.get(serviceKey);
        if (writes == null || System.nanoTime() - writes.at() > PATIENCE_NANOS) {
            written.remove(serviceKey);
            return true;
        }
        Map<String, Long> expected = writes.versions();
        Map<String, Long> have = new HashMap<>();
        cached.forEach(s -> have.put(s.getMetadata().getName(), version(s)));
        for (var entry : expected.entrySet()) {
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
