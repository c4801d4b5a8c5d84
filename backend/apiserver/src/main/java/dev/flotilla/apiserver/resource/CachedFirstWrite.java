package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.ApiError;
import java.util.Optional;
import java.util.function.Function;

/**
 * A read-modify-write of one object (patch, update, binding, delete) as upstream's GuaranteedUpdate
 * runs it: the first try starts from the watch cache's copy, which saves a read of etcd on most
 * writes; because that copy may be stale, any refusal of that try is retried on the object read
 * from etcd. Tries on etcd's copy are repeated only when another writer won the compare-and-swap
 * (409 "the object has been modified"), up to {@code attempts}, and never when the client pinned
 * the resourceVersion.
 */
final class CachedFirstWrite {

    private final ResourceStore store;

    CachedFirstWrite(ResourceStore store) {
        this.store = store;
    }

    /**
     * {@code write} is given the object, empty when it does not exist. {@code fromCache} false (a
     * dry run, whose answer no compare-and-swap checks) starts from etcd's copy.
     */
    <T> T run(ResourceRequest target, int attempts, boolean conflictIsFinal, boolean fromCache,
            Function<Optional<ObjectNode>, T> write) {
        Optional<ObjectNode> cached = fromCache ? store.cachedCopy(target.type(), target.namespace(), target.name())
                : Optional.empty();
        if (cached.isPresent()) {
            try {
                return write.apply(cached);
            } catch (ApiError e) {
                if (e.code() >= 500) {
                    throw e;
                }
                // Perhaps refused only because the copy was stale: decided again on the live object.
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return write.apply(store.get(target.type(), target.namespace(), target.name()));
            } catch (ApiError e) {
                if (!e.isObjectModified() || conflictIsFinal || attempt >= attempts) {
                    throw e;
                }
            }
        }
    }

    /** As {@link #run}, for a write of an object that must exist (404 otherwise). */
    <T> T runOnExisting(ResourceRequest target, int attempts, boolean conflictIsFinal, boolean fromCache,
            Function<ObjectNode, T> write) {
        return run(target, attempts, conflictIsFinal, fromCache, current -> write.apply(current.orElseThrow(
                () -> ApiError.notFound(target.type().group(), target.type().resource(), target.name()))));
    }
}
