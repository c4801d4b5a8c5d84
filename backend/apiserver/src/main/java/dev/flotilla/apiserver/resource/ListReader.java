package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.cache.CacheSnapshot;
import dev.flotilla.storage.cache.CachedObject;
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
    record Listing<T>(List<T> items, long revision, String continueToken, long remainingItemCount) {
    }

    private final ResourceStore store;

    ListReader(ResourceStore store) {
        this.store = store;
    }

    <T> Listing<T> list(ResourceType type, String namespace, ListOptions options, Predicate<ObjectNode> filter,
            boolean selective, ListItemForm<T> form) {
        String rv = options.resourceVersion();
        if (options.continueToken() != null) {
            ContinueToken token = options.continueToken();
            return fromEtcd(type, namespace, options.limit(), filter, selective, token.revision(),
                    token.startAfterKey(), false, form);
        }
        if (ListOptions.EXACT.equals(options.resourceVersionMatch())) {
            return fromEtcd(type, namespace, options.limit(), filter, selective, options.resourceVersionNumber(),
                    null, true, form);
        }
        if (rv.equals("0")) {
            return fromCache(store.cachedAny(type, namespace), filter, selective, form);
        }
        if (options.limit() > 0) {
            if (!rv.isEmpty()) {
                options.resourceVersionNumber();
            }
            return fromEtcd(type, namespace, options.limit(), filter, selective, 0, null, false, form);
        }
        return state(type, namespace, rv.isEmpty() ? -1 : options.resourceVersionNumber(), filter, selective, form);
    }

    /**
     * The objects as of {@code minRevision} or later ({@code -1}: as of now, consistently;
     * {@code 0}: whatever the cache holds), for a list or a watch's initial events.
     */
    <T> Listing<T> state(ResourceType type, String namespace, long minRevision, Predicate<ObjectNode> filter,
            boolean selective, ListItemForm<T> form) {
        if (minRevision == 0) {
            return fromCache(store.cachedAny(type, namespace), filter, selective, form);
        }
        if (minRevision > 0) {
            return fromCache(store.cachedNotOlderThan(type, namespace, minRevision), filter, selective, form);
        }
        Optional<CacheSnapshot> consistent = store.cachedConsistent(type, namespace);
        return consistent.isPresent()
                ? fromCache(consistent.get(), filter, selective, form)
                : fromEtcd(type, namespace, 0, filter, false, 0, null, false, form);
    }

    private static <T> Listing<T> fromCache(CacheSnapshot snapshot, Predicate<ObjectNode> filter, boolean selective,
            ListItemForm<T> form) {
        List<T> items = new ArrayList<>(snapshot.entries().size());
        for (CachedObject cached : snapshot.entries()) {
            T item = form.fromCache(cached, filter, selective);
            if (item != null) {
                items.add(item);
            }
        }
        return new Listing<>(items, snapshot.revision(), null, 0);
    }

    /** Fills a page with matching objects, reading further at the same revision while filters skip some. */
    private <T> Listing<T> fromEtcd(ResourceType type, String namespace, int limit, Predicate<ObjectNode> filter,
            boolean selective, long revision, String startAfter, boolean exact, ListItemForm<T> form) {
        List<T> items = new ArrayList<>();
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
                T item = form.fromStore(stored, filter);
                if (item != null) {
                    items.add(item);
                }
            }
        } while (page.more() && limit > 0 && items.size() < limit);
        boolean more = page.more() && limit > 0;
        return new Listing<>(items, revision, more ? new ContinueToken(revision, lastKey).encode() : null,
                more && !selective ? page.remainingCount() : 0);
    }
}
