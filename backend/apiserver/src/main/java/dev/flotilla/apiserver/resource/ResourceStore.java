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
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one store every resource type uses: objects as JSON trees in etcd, with
 * {@code metadata.resourceVersion} set to the etcd mod revision on every read, and storage failures
 * turned into the API errors clients expect (404, 409, 410, 503). Custom resources are kept at their
 * CRD's storage version and served at the version asked for ({@link StoredVersions}).
 */
@Singleton
public class ResourceStore {

    private final ObjectStore store;

    public ResourceStore(ObjectStore store) {
        this.store = store;
    }

    public ObjectNode create(ResourceType type, String namespace, String name, ObjectNode object) {
        ObjectMetadata.of(object).set("resourceVersion", null);
        StoredObject stored = call(() -> {
            try {
                return store.create(StorageKeys.object(type, namespace, name),
                        Json.toBytes(StoredVersions.forStorage(type, object)));
            } catch (KeyExistsException e) {
                throw ApiError.alreadyExists(type.group(), type.resource(), name);
            }
        });
        return StoredVersions.served(type, decode(stored));
    }

    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        return call(() -> store.get(StorageKeys.object(type, namespace, name))).map(ResourceStore::decode)
                .map(object -> StoredVersions.served(type, object));
    }

    public ObjectNode require(ResourceType type, String namespace, String name) {
        return get(type, namespace, name).orElseThrow(() -> ApiError.notFound(type.group(), type.resource(), name));
    }

    /** Compare-and-swap on the object's resourceVersion; a stale one is a 409 Conflict. */
    public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode object,
            long expectedRevision) {
        ObjectMetadata.of(object).set("resourceVersion", null);
        StoredObject stored = call(() -> {
            try {
                return store.update(StorageKeys.object(type, namespace, name),
                        Json.toBytes(StoredVersions.forStorage(type, object)), expectedRevision);
            } catch (NotFoundException e) {
                throw ApiError.notFound(type.group(), type.resource(), name);
            } catch (ConflictException e) {
                throw ApiError.objectModified(type.group(), type.resource(), name);
            }
        });
        return StoredVersions.served(type, decode(stored));
    }

    /** Removes the object if it is still at {@code expectedRevision} (0: whatever its revision). */
    public ObjectNode delete(ResourceType type, String namespace, String name, long expectedRevision) {
        DeletedObject deleted = call(() -> {
            try {
                return store.delete(StorageKeys.object(type, namespace, name), expectedRevision);
            } catch (NotFoundException e) {
                throw ApiError.notFound(type.group(), type.resource(), name);
            } catch (ConflictException e) {
                throw ApiError.objectModified(type.group(), type.resource(), name);
            }
        });
        return StoredVersions.served(type, decode(deleted.lastState()));
    }

    /** One page of a consistent list; {@code atRevision} 0 reads the latest state. */
    public ListResult list(ResourceType type, String namespace, long atRevision, int limit, String startAfterKey) {
        ListResult result = call(() -> {
            try {
                return store.list(StorageKeys.collection(type, namespace), atRevision, limit, startAfterKey);
            } catch (CompactedException e) {
                throw ApiError.expired("The provided continue parameter is too old to display a consistent list "
                        + "result. You can start a new list without the continue parameter.");
            }
        });
        if (!type.isCustom()) {
            return result;
        }
        return new ListResult(result.items().stream().map(item -> StoredVersions.served(type, item)).toList(),
                result.revision(), result.more(), result.remainingCount());
    }

    public Watch watch(ResourceType type, String namespace, long fromRevision, WatchListener listener) {
        WatchListener served = !type.isCustom() ? listener : new WatchListener() {
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
        return call(() -> store.watch(StorageKeys.collection(type, namespace), fromRevision, served));
    }

    public long currentRevision() {
        return call(store::currentRevision);
    }

    public static ObjectNode decode(StoredObject stored) {
        ObjectNode object = ObjectCodec.parseStored(stored.value());
        ObjectMetadata.of(object).set("resourceVersion", Long.toString(stored.modRevision()));
        return object;
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (StorageUnavailableException e) {
            throw ApiError.serviceUnavailable("storage is unavailable: " + e.getMessage());
        }
    }
}
