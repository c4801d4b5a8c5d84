package dev.flotilla.storage;

import java.util.List;

/**
 * One page of a list: objects sorted by key, all as of the single revision {@code revision}.
 *
 * <p>To fetch the next page, list again with {@code atRevision = revision} and
 * {@code startAfterKey} = the last item's key; that is what a Kubernetes continue token holds.
 *
 * @param items          the objects in key order
 * @param revision       the revision this page (and every following page) shows
 * @param more           whether keys after the last item exist at {@code revision}
 * @param remainingCount how many objects follow this page at {@code revision} (0 when not {@code more})
 */
public record ListResult(List<StoredObject> items, long revision, boolean more, long remainingCount) {

    public ListResult {
        items = List.copyOf(items);
    }
}
