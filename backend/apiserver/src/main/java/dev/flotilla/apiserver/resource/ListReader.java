package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.cache.CacheSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads a list where upstream's cacher would: from the watch cache unless the request needs a
 * snapshot only etcd has.
 *
 * <ul>
 *   <li>{@code continue}, {@code resourceVersionMatch=Exact}, or {@code limit} with a
 *       resourceVersion other than "0": etcd, at the token's or the given revision, page by page.</li>
 *   <li>{@code resourceVersion="0"}: the cache as it is, the whole list (limit ignored, as upstream).</li>
 *   <li>{@code resourceVersion=""}: the cache once it has caught up with etcd's current revision;
 *       etcd when it does not within 3 s.</li>
 *   <li>{@code resourceVersion=N}: the cache once it shows N; 504 "Too large resource version" if not.</li>
 * </ul>
 */
final class ListReader {

    /** What a list returns: the matching objects and the list metadata's parts. */
    record Listing(List<ObjectNode> items, long revision, String continueToken, long remainingItemCount) {
    }

    private final ResourceStore store;

    ListReader(ResourceStore store) {
        this.store = store;
    }

    Listing list(ResourceType type, String namespace, ListOptions options, Predicate<ObjectNode> filter,
            boolean selective) {
        String rv = options.resourceVersion();
        if (options.continueToken() != null) {
            ContinueToken token = options.continueToken();
            return fromEtcd(type, namespace, options.limit(), filter, selective, token.revision(),
                    token.startAfterKey(), false);
        }
        if (ListOptions.EXACT.equals(options.resourceVersionMatch())) {
            return fromEtcd(type, namespace, options.limit(), filter, selective, options.resourceVersionNumber(),
                    null, true);
        }
        if (rv.equals("0")) {
            return fromCache(store.cachedAny(type, namespace), filter);
        }
        if (options.limit() > 0) {
            if (!rv.isEmpty()) {
                options.resourceVersionNumber();
            }
            return fromEtcd(type, namespace, options.limit(), filter, selective, 0, null, false);
        }
        return state(type, namespace, rv.isEmpty() ? -1 : options.resourceVersionNumber(), filter);
    }

    /**
     * The objects as of {@code minRevision} or later ({@code -1}: as of now, consistently;
     * {@code 0}: whatever the cache holds), for a list or a watch's initial events.
     */
    Listing state(ResourceType type, String namespace, long minRevision, Predicate<ObjectNode> filter) {
        if (minRevision == 0) {
            return fromCache(store.cachedAny(type, namespace), filter);
        }
        if (minRevision > 0) {
            return fromCache(store.cachedNotOlderThan(type, namespace, minRevision), filter);
        }
        Optional<CacheSnapshot> consistent = store.cachedConsistent(type, namespace);
        return consistent.isPresent()
                ? fromCache(consistent.get(), filter)
                : fromEtcd(type, namespace, 0, filter, false, 0, null, false);
    }

    private static Listing fromCache(CacheSnapshot snapshot, Predicate<ObjectNode> filter) {
        List<ObjectNode> items = new ArrayList<>();
        for (StoredObject stored : snapshot.items()) {
            ObjectNode object = ResourceStore.decode(stored);
            if (filter.test(object)) {
                items.add(object);
            }
        }
        return new Listing(items, snapshot.revision(), null, 0);
    }

    /** Fills a page with matching objects, reading further at the same revision while filters skip some. */
    private Listing fromEtcd(ResourceType type, String namespace, int limit, Predicate<ObjectNode> filter,
            boolean selective, long revision, String startAfter, boolean exact) {
        List<ObjectNode> items = new ArrayList<>();
        ListResult page;
        String lastKey = startAfter;
        do {
            int want = limit == 0 ? 0 : Math.max(limit - items.size(), 1);
            page = exact
                    ? store.listExact(type, namespace, revision, want, lastKey)
                    : store.list(type, namespace, revision, want, lastKey);
            revision = page.revision();
            for (StoredObject stored : page.items()) {
                lastKey = stored.key();
                ObjectNode object = ResourceStore.decode(stored);
                if (filter.test(object)) {
                    items.add(object);
                }
            }
        } while (page.more() && limit > 0 && items.size() < limit);
        boolean more = page.more() && limit > 0;
        return new Listing(items, revision, more ? new ContinueToken(revision, lastKey).encode() : null,
                more && !selective ? page.remainingCount() : 0);
    }
}
