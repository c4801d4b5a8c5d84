package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.crd.StoredVersions;
import dev.flotilla.storage.CompactedException;
import dev.flotilla.storage.ConflictException;
import dev.flotilla.storage.DeletedObject;
import dev.flotilla.storage.KeyExistsException;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.NotFoundException;
import dev.flotilla.storage.ObjectStore;
import dev.flotilla.storage.StorageUnavailableException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchListener;
import dev.flotilla.storage.cache.CacheSnapshot;
import dev.flotilla.storage.cache.WatchCache;
import dev.flotilla.storage.cache.WatchCaches;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one store every resource type uses: objects as JSON trees in etcd, with
 * {@code metadata.resourceVersion} set to the etcd mod revision on every read, and storage failures
 * turned into the API errors clients expect (404, 409, 410, 503). Lists and watches can be served
 * from the resource's watch cache (see docs/watch-cache.md); writes and gets always go to etcd.
 * Custom resources are kept at their CRD's storage version and served at the version asked for
 * ({@link StoredVersions}), whichever way they are read.
 */
@Singleton
public class ResourceStore {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceStore.class);

    /** How long a read waits for the watch cache to reach the revision it needs (upstream: 3 s). */
    static final Duration CACHE_WAIT = Duration.ofSeconds(3);

    private final ObjectStore etcd;
    private final WatchCaches caches;
    private final PostgresResources postgres;
    /** Per resource prefix, the newest revision this server wrote: cached reads wait for it (read your writes). */
    private final ConcurrentHashMap<String, AtomicLong> lastWrites = new ConcurrentHashMap<>();

    public ResourceStore(ObjectStore store, WatchCaches caches, PostgresResources postgres) {
        this.etcd = store;
        this.caches = caches;
        this.postgres = postgres;
    }

    /** Where the type's objects live: PostgreSQL for the few kinds kept there, etcd for everything else. */
    private ObjectStore storeOf(ResourceType type) {
        return postgres.keeps(type) ? postgres.store() : etcd;
    }

    private boolean cached(ResourceType type) {
        return caches.enabled() && !postgres.keeps(type);
    }

    public ObjectNode create(ResourceType type, String namespace, String name, ObjectNode object) {
        ObjectMetadata.of(object).set("resourceVersion", null);
        StoredObject stored = call(type, () -> {
            try {
                return storeOf(type).create(StorageKeys.object(type, namespace, name),
                        Json.toBytes(StoredVersions.forStorage(type, object)));
            } catch (KeyExistsException e) {
                throw ApiError.alreadyExists(type.group(), type.resource(), name);
            }
        });
        wrote(type, stored.modRevision());
        return written(type, object, stored);
    }

    /**
     * What a create or update answers: the object as stored. Where the stored form is the object
     * itself (every type but custom resources and autoscaling/v1), that is the object with its new
     * resourceVersion; parsing the bytes just written back was a fifth of a pod create's CPU.
     */
    private static ObjectNode written(ResourceType type, ObjectNode object, StoredObject stored) {
        if (StoredVersions.converts(type)) {
            return StoredVersions.served(type, decode(stored));
        }
        ObjectMetadata.of(object).set("resourceVersion", Long.toString(stored.modRevision()));
        return object;
    }

    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        return call(type, () -> storeOf(type).get(StorageKeys.object(type, namespace, name))).map(ResourceStore::decode)
                .map(object -> StoredVersions.served(type, object));
    }

    public ObjectNode require(ResourceType type, String namespace, String name) {
        return get(type, namespace, name).orElseThrow(() -> ApiError.notFound(type.group(), type.resource(), name));
    }

    /** Compare-and-swap on the object's resourceVersion; a stale one is a 409 Conflict. */
    public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode object,
            long expectedRevision) {
        ObjectMetadata.of(object).set("resourceVersion", null);
        StoredObject stored = call(type, () -> {
            try {
                return storeOf(type).update(StorageKeys.object(type, namespace, name),
                        Json.toBytes(StoredVersions.forStorage(type, object)), expectedRevision);
            } catch (NotFoundException e) {
                throw ApiError.notFound(type.group(), type.resource(), name);
            } catch (ConflictException e) {
                throw ApiError.objectModified(type.group(), type.resource(), name);
            }
        });
        wrote(type, stored.modRevision());
        return written(type, object, stored);
    }

    /** Removes the object if it is still at {@code expectedRevision} (0: whatever its revision). */
    public ObjectNode delete(ResourceType type, String namespace, String name, long expectedRevision) {
        DeletedObject deleted = call(type, () -> {
            try {
                return storeOf(type).delete(StorageKeys.object(type, namespace, name), expectedRevision);
            } catch (NotFoundException e) {
                throw ApiError.notFound(type.group(), type.resource(), name);
            } catch (ConflictException e) {
                throw ApiError.objectModified(type.group(), type.resource(), name);
            }
        });
        wrote(type, deleted.deletedAtRevision());
        return StoredVersions.served(type, decode(deleted.lastState()));
    }

    /** One page of a consistent list; {@code atRevision} 0 reads the latest state. */
    public ListResult list(ResourceType type, String namespace, long atRevision, int limit, String startAfterKey) {
        ListResult result = call(type, () -> {
            try {
                return storeOf(type).list(StorageKeys.collection(type, namespace), atRevision, limit, startAfterKey);
            } catch (CompactedException e) {
                throw ApiError.expired("The provided continue parameter is too old to display a consistent list "
                        + "result. You can start a new list without the continue parameter.");
            }
        });
        return served(type, result);
    }

    /** One page at exactly {@code revision} (resourceVersionMatch=Exact); a compacted one is 410 Expired. */
    public ListResult listExact(ResourceType type, String namespace, long revision, int limit, String startAfterKey) {
        return served(type, call(type, () -> {
            try {
                return storeOf(type).list(StorageKeys.collection(type, namespace), revision, limit, startAfterKey);
            } catch (CompactedException e) {
                throw tooOld(e);
            }
        }));
    }

    /**
     * The object as the watch cache shows it now, however fresh, like an informer's lister (what a
     * token check reads); read from etcd when it is not cached, so one created a moment ago is found.
     */
    public Optional<ObjectNode> getPreferCached(ResourceType type, String namespace, String name) {
        return cached(type) ? fromCacheOrEtcd(type, namespace, name, call(type, () -> cache(type))) : get(type, namespace, name);
    }

    /**
     * The watch cache's copy of the object, however fresh; empty for a type that is not cached, a
     * miss, or a cache that cannot start (etcd down). A write that starts from it compares and swaps on
     * its resourceVersion, so a stale copy costs a retry, never a lost update.
     */
    public Optional<ObjectNode> cachedCopy(ResourceType type, String namespace, String name) {
        if (!cached(type)) {
            return Optional.empty();
        }
        try {
            return cache(type).get(StorageKeys.object(type, namespace, name)).map(ResourceStore::decode)
                    .map(object -> StoredVersions.served(type, object));
        } catch (StorageUnavailableException e) {
            return Optional.empty();
        }
    }

    /** As {@link #getPreferCached}, but at least as fresh as this server's own last write of the type. */
    public Optional<ObjectNode> getWithOwnWrites(ResourceType type, String namespace, String name) {
        Optional<WatchCache> cache = cached(type) ? call(type, () -> readYourWrites(type)) : Optional.empty();
        return cache.isPresent() ? fromCacheOrEtcd(type, namespace, name, cache.get()) : get(type, namespace, name);
    }

    /**
     * The object as the cache shows it, at least as fresh as this server's own last write of the type;
     * unlike {@link #getWithOwnWrites} a miss is not read from etcd, for admission lookups of objects
     * most requests find none of (a tenant's aggregate quota). Uncached types, and a cache that lags
     * behind this server's writes, are read from etcd.
     */
    public Optional<ObjectNode> cachedOnlyWithOwnWrites(ResourceType type, String namespace, String name) {
        if (!cached(type)) {
            return get(type, namespace, name);
        }
        Optional<WatchCache> cache = call(type, () -> readYourWrites(type));
        if (cache.isEmpty()) {
            return get(type, namespace, name);
        }
        return call(type, () -> cache.get().get(StorageKeys.object(type, namespace, name)))
                .map(ResourceStore::decode).map(object -> StoredVersions.served(type, object));
    }

    private Optional<ObjectNode> fromCacheOrEtcd(ResourceType type, String namespace, String name, WatchCache cache) {
        Optional<StoredObject> cached = call(type, () -> cache.get(StorageKeys.object(type, namespace, name)));
        return cached.isPresent()
                ? cached.map(ResourceStore::decode).map(object -> StoredVersions.served(type, object))
                : get(type, namespace, name);
    }

    /**
     * The cache's objects, at least as fresh as this server's own last write of the type: what an
     * admission plugin reads instead of etcd. Writes through other API servers may not show yet, as
     * with upstream's informers.
     */
    public CacheSnapshot cachedWithOwnWrites(ResourceType type, String namespace) {
        if (!cached(type)) {
            return fromEtcd(type, namespace);
        }
        Optional<WatchCache> cache = call(type, () -> readYourWrites(type));
        return cache.isEmpty() ? fromEtcd(type, namespace)
                : served(type, call(type, () -> cache.get().snapshot(StorageKeys.collection(type, namespace))));
    }

    /** The cache's objects as they are now, however fresh (resourceVersion="0"). */
    public CacheSnapshot cachedAny(ResourceType type, String namespace) {
        if (!cached(type)) {
            return fromEtcd(type, namespace);
        }
        return served(type, call(type, () -> cache(type).snapshot(StorageKeys.collection(type, namespace))));
    }

    /**
     * The cache's objects once it has caught up with etcd's current revision (upstream's consistent
     * list from cache); empty when it does not within {@link #CACHE_WAIT}, so the caller reads etcd.
     */
    public Optional<CacheSnapshot> cachedConsistent(ResourceType type, String namespace) {
        if (!cached(type)) {
            return Optional.empty();
        }
        return call(type, () -> {
            long current = storeOf(type).currentRevision();
            WatchCache cache = cache(type);
            return await(cache, current)
                    ? Optional.of(served(type, cache.snapshot(StorageKeys.collection(type, namespace))))
                    : Optional.empty();
        });
    }

    /** The cache's objects once it shows {@code revision} or later; 504 "Too large resource version" if it does not in time. */
    public CacheSnapshot cachedNotOlderThan(ResourceType type, String namespace, long revision) {
        if (!cached(type)) {
            return fromEtcd(type, namespace);
        }
        return call(type, () -> {
            WatchCache cache = cache(type);
            if (!await(cache, revision)) {
                throw ApiError.tooLargeResourceVersion(revision, cache.revision());
            }
            return served(type, cache.snapshot(StorageKeys.collection(type, namespace)));
        });
    }

    /**
     * Changes after {@code fromRevision}: from the watch cache when its ring still holds them,
     * otherwise from an etcd watch of its own (which answers 410 once etcd has compacted them).
     */
    public Watch watch(ResourceType type, String namespace, long fromRevision, WatchListener listener) {
        WatchListener served = !StoredVersions.converts(type) ? listener : new WatchListener() {
            @Override
            public void onEvent(dev.flotilla.storage.WatchEvent event) {
                listener.onEvent(new dev.flotilla.storage.WatchEvent(event.type(), event.key(), event.revision(),
                        StoredVersions.served(type, event.object()), StoredVersions.served(type, event.previous())));
            }

            @Override
            public void onError(dev.flotilla.storage.StorageException error) {
                listener.onError(error);
            }
        };
        return call(type, () -> {
            String keyPrefix = StorageKeys.collection(type, namespace);
            Optional<Watch> cached = fromRevision > 0 && cached(type)
                    ? cache(type).watch(keyPrefix, fromRevision, served)
                    : Optional.empty();
            return cached.orElseGet(() -> storeOf(type).watch(keyPrefix, fromRevision, served));
        });
    }

    private static ListResult served(ResourceType type, ListResult result) {
        if (!StoredVersions.converts(type)) {
            return result;
        }
        return new ListResult(result.items().stream().map(item -> StoredVersions.served(type, item)).toList(),
                result.revision(), result.more(), result.remainingCount());
    }

    private static CacheSnapshot served(ResourceType type, CacheSnapshot snapshot) {
        if (!StoredVersions.converts(type)) {
            return snapshot;
        }
        return CacheSnapshot.of(snapshot.items().stream().map(item -> StoredVersions.served(type, item)).toList(),
                snapshot.revision());
    }

    private CacheSnapshot fromEtcd(ResourceType type, String namespace) {
        ListResult all = list(type, namespace, 0, 0, null);
        return CacheSnapshot.of(all.items(), all.revision());
    }

    private WatchCache cache(ResourceType type) {
        return caches.forPrefix(StorageKeys.collection(type, null));
    }

    private void wrote(ResourceType type, long revision) {
        lastWrites.computeIfAbsent(StorageKeys.collection(type, null), k -> new AtomicLong())
                .accumulateAndGet(revision, Math::max);
    }

    /**
     * The type's cache once it shows this server's last write of the type; empty when it does not
     * within {@link #CACHE_WAIT} (its watch is resuming, or the machine is overloaded), so the caller
     * reads etcd instead of answering from a cache that may lack its own write.
     */
    private Optional<WatchCache> readYourWrites(ResourceType type) {
        WatchCache cache = cache(type);
        AtomicLong written = lastWrites.get(StorageKeys.collection(type, null));
        if (written != null && cache.revision() < written.get() && !await(cache, written.get())) {
            LOG.debug("watch cache of {} at revision {} is behind this server's write {}; reading etcd",
                    type.resource(), cache.revision(), written.get());
            return Optional.empty();
        }
        return Optional.of(cache);
    }

    private static boolean await(WatchCache cache, long revision) {
        try {
            return cache.awaitRevision(revision, CACHE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.serviceUnavailable("interrupted while waiting for the watch cache");
        }
    }

    static ApiError tooOld(CompactedException e) {
        return ApiError.expired("too old resource version: " + e.requestedRevision() + " (" + e.compactedRevision()
                + ")");
    }

    /** The revision of "now" in the store that keeps {@code type}. */
    public long currentRevision(ResourceType type) {
        return call(type, () -> storeOf(type).currentRevision());
    }

    public static ObjectNode decode(StoredObject stored) {
        ObjectNode object = ObjectCodec.parseStored(stored.value());
        ObjectMetadata.of(object).set("resourceVersion", Long.toString(stored.modRevision()));
        return object;
    }

    /** A stored object as clients receive it in JSON: {@link #decode}d, then encoded again. */
    public static byte[] encode(StoredObject stored) {
        return Json.toBytes(decode(stored));
    }

    private <T> T call(ResourceType type, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (StorageUnavailableException e) {
            if (postgres.keeps(type)) {
                throw ApiError.serviceUnavailable(type.qualifiedResource() + " are unavailable: " + e.getMessage());
            }
            throw ApiError.serviceUnavailable("storage is unavailable: " + e.getMessage());
        }
    }
}
