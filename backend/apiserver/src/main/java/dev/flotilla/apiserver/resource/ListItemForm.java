package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.cache.CachedObject;
import java.util.function.Predicate;

/**
 * The form a {@link ListReader} hands listed objects over in: JSON trees (for tables, YAML and
 * watches' initial events) or the JSON bytes of each object (for JSON lists, which are written by
 * joining them). Each form returns null for an object the filter rejects.
 */
interface ListItemForm<T> {

    /** Trees, parsed per request (the caller may change them). */
    ListItemForm<ObjectNode> TREES = new ListItemForm<>() {
        @Override
        public ObjectNode fromCache(CachedObject cached, Predicate<ObjectNode> filter, boolean selective) {
            return fromStore(cached.stored(), filter);
        }

        @Override
        public ObjectNode fromStore(StoredObject stored, Predicate<ObjectNode> filter) {
            ObjectNode object = ResourceStore.decode(stored);
            return filter.test(object) ? object : null;
        }
    };

    /**
     * JSON bytes; a cached object's are encoded once and shared by every later list, and without a
     * selector the object is not even parsed.
     */
    ListItemForm<byte[]> JSON = new ListItemForm<>() {
        @Override
        public byte[] fromCache(CachedObject cached, Predicate<ObjectNode> filter, boolean selective) {
            if (selective && !filter.test(ResourceStore.decode(cached.stored()))) {
                return null;
            }
            return cached.encoded(ResourceStore::encode);
        }

        @Override
        public byte[] fromStore(StoredObject stored, Predicate<ObjectNode> filter) {
            ObjectNode object = ResourceStore.decode(stored);
            return filter.test(object) ? Json.toBytes(object) : null;
        }
    };

    T fromCache(CachedObject cached, Predicate<ObjectNode> filter, boolean selective);

    T fromStore(StoredObject stored, Predicate<ObjectNode> filter);
}
