package dev.flotilla.storage.cache;

import dev.flotilla.storage.StoredObject;
import java.util.List;

/**
 * The objects under a key prefix as the watch cache holds them, sorted by key, all as of
 * {@code revision} (the cache's revision when the copy was taken).
 */
public record CacheSnapshot(List<CachedObject> entries, long revision) {

    public CacheSnapshot {
        entries = List.copyOf(entries);
    }

    /** A snapshot of objects not held by a cache (read from etcd, or converted per request). */
    public static CacheSnapshot of(List<StoredObject> items, long revision) {
        return new CacheSnapshot(items.stream().map(CachedObject::new).toList(), revision);
    }

    public List<StoredObject> items() {
        return entries.stream().map(CachedObject::stored).toList();
    }
}
