package dev.flotilla.storage;

import java.util.Optional;

/**
 * Objects stored as raw bytes, one key per object, versioned by etcd revisions. The resource API
 * puts Kubernetes objects here as JSON under {@code /registry/<group>/<resource>/<namespace>/<name>};
 * this interface knows nothing about Kubernetes, so serialization and validation stay in one place
 * (the API server) and the store stays small enough to reason about.
 *
 * <p>Every object carries two revisions: {@code modRevision} (its resourceVersion, changes on each
 * write) and {@code createRevision}. Writes are compare-and-swap on {@code modRevision}, so two
 * writers can never silently overwrite each other.
 *
 * <p>All operations are synchronous and bounded by the configured request timeout; when etcd is
 * unreachable they throw {@link StorageUnavailableException}. Bad arguments (null or empty key, null
 * value, negative revision or limit) throw {@link IllegalArgumentException} before etcd is asked.
 */
public interface ObjectStore {

    /**
     * Stores a new object.
     *
     * @throws KeyExistsException when the key exists (carries what is stored)
     */
    StoredObject create(String key, byte[] value);

    /** The object as of now, if it exists. */
    Optional<StoredObject> get(String key);

    /**
     * The object as it was at {@code atRevision} (0 = now).
     *
     * @throws CompactedException when that revision has been compacted
     */
    Optional<StoredObject> get(String key, long atRevision);

    /**
     * Replaces an object if it is still at {@code expectedModRevision} (0 = whatever its revision).
     *
     * @throws NotFoundException when the key does not exist
     * @throws ConflictException when the object has another mod revision (carries the current object)
     */
    StoredObject update(String key, byte[] value, long expectedModRevision);

    /**
     * Deletes an object if it is still at {@code expectedModRevision} (0 = unconditionally).
     *
     * @return its last state and the revision of the delete
     * @throws NotFoundException when the key does not exist
     * @throws ConflictException when the object has another mod revision (carries the current object)
     */
    DeletedObject delete(String key, long expectedModRevision);

    /**
     * One page of the objects whose keys start with {@code prefix}, sorted by key, as of one
     * revision. End prefixes with {@code /}: the match is on raw bytes, so {@code /registry/pods/a}
     * would also match {@code /registry/pods/ab/...}.
     *
     * @param atRevision    the revision to read at; 0 = now (the result says which revision that was)
     * @param limit         at most this many objects; 0 = all
     * @param startAfterKey only keys after this one (the last key of the previous page); null = from
     *                      the start. Must start with {@code prefix}.
     * @throws CompactedException when {@code atRevision} has been compacted
     */
    ListResult list(String prefix, long atRevision, int limit, String startAfterKey);

    /** etcd's current revision: the resourceVersion of "now". */
    long currentRevision();

    /**
     * Watches the keys starting with {@code prefix} for changes made after {@code fromRevision}
     * (exclusive: an object read at revision R is followed by watching from R). 0 = from now.
     *
     * <p>Events arrive in revision order, each exactly once. When the connection to etcd breaks, the
     * watch resumes by itself from the last delivered revision, without gaps or duplicates; it
     * reports {@link WatchListener#onError} only when it cannot continue (the revision it needs was
     * compacted meanwhile, or etcd refused the watch).
     */
    Watch watch(String prefix, long fromRevision, WatchListener listener);

    /**
     * Asks etcd to tell every open watch how far it is (see {@link WatchListener#onProgress}),
     * without waiting for the answer. Does nothing when etcd is unreachable.
     */
    default void requestWatchProgress() {
    }

    /**
     * Discards history before {@code revision}: reads and watches at older revisions then fail with
     * {@link CompactedException}. Compacting to a revision already compacted does nothing.
     */
    void compact(long revision);
}
