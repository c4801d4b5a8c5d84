package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an in-memory view of one resource equal to etcd, as an informer does: lists every object,
 * then follows one watch from the list's revision; a watch that ends (history compacted, etcd
 * refusing it) is replaced by a fresh list and watch after a second. Work runs on the caller's
 * single-threaded executor, so a {@link Handler} sees one call at a time.
 */
public final class ObjectFeed {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectFeed.class);

    /** What the view does with the objects; keys are {@code <namespace>/<name>} (namespace empty when cluster-scoped). */
    public interface Handler {

        /** Every object as listed; the view drops what is not among them. */
        void listed(List<ObjectNode> objects);

        void put(ObjectNode object);

        void removed(String key);
    }

    private final ResourceStore store;
    private final ResourceType type;
    private final Handler handler;
    private final ScheduledExecutorService worker;
    private volatile Watch watch;
    private volatile boolean synced;

    public ObjectFeed(ResourceStore store, ResourceType type, Handler handler, ScheduledExecutorService worker) {
        this.store = store;
        this.type = type;
        this.handler = handler;
        this.worker = worker;
        worker.execute(this::sync);
    }

    /** True once the first list has reached the handler. */
    public boolean synced() {
        return synced;
    }

    private void sync() {
        close();
        try {
            ListResult all = store.list(type, null, 0, 0, null);
            List<ObjectNode> objects = new ArrayList<>(all.items().size());
            for (StoredObject stored : all.items()) {
                objects.add(ResourceStore.decode(stored));
            }
            handler.listed(objects);
            watch = store.watch(type, null, all.revision(), new Listener());
            synced = true;
        } catch (RuntimeException e) {
            LOG.debug("cannot load {} yet: {}", type.resource(), e.getMessage());
            retry();
        }
    }

    private void retry() {
        if (!worker.isShutdown()) {
            worker.schedule(this::sync, 1, TimeUnit.SECONDS);
        }
    }

    public void close() {
        Watch current = watch;
        watch = null;
        if (current != null) {
            current.close();
        }
    }

    /** {@code <namespace>/<name>} from a storage key {@code .../<resource>/[<namespace>/]<name>}. */
    private String key(String storageKey) {
        String[] parts = storageKey.split("/");
        String name = parts[parts.length - 1];
        return type.namespaced() ? parts[parts.length - 2] + "/" + name : "/" + name;
    }

    private final class Listener implements WatchListener {

        @Override
        public void onEvent(WatchEvent event) {
            worker.execute(() -> {
                if (event.type() == WatchEvent.Type.PUT) {
                    handler.put(ResourceStore.decode(event.object()));
                } else {
                    handler.removed(key(event.key()));
                }
            });
        }

        @Override
        public void onError(StorageException error) {
            LOG.info("{} watch ended ({}); listing again", type.resource(), error.getMessage());
            retry();
        }
    }
}
