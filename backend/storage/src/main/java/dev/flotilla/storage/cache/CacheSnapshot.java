package dev.flotilla.storage.cache;

import dev.flotilla.storage.StoredObject;
import java.util.List;

/**
 * The objects under a key prefix as the watch cache holds them, sorted by key, all as of
 * {@code revision} (the cache's revision when the copy was taken).
 */
public record CacheSnapshot(List<StoredObject> items, long revision) {

    public CacheSnapshot {
        items = List.copyOf(items);
    }
}
