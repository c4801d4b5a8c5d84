package dev.flotilla.controllers.framework;

import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

/** The handler of a controller's primary resource: every add and update (and, if asked, delete) queues the object's key. */
public final class QueueOwnKey<T extends HasMetadata> implements ResourceEventHandler<T> {

    private final WorkQueue<String> queue;
    private final boolean onDelete;

    private QueueOwnKey(WorkQueue<String> queue, boolean onDelete) {
        this.queue = queue;
        this.onDelete = onDelete;
    }

    /** Queues on add and update; a deleted object needs nothing done. */
    public static <T extends HasMetadata> QueueOwnKey<T> onChange(WorkQueue<String> queue) {
        return new QueueOwnKey<>(queue, false);
    }

    /** Queues on add, update and delete (the reconcile cleans up after a deleted object). */
    public static <T extends HasMetadata> QueueOwnKey<T> always(WorkQueue<String> queue) {
        return new QueueOwnKey<>(queue, true);
    }

    @Override
    public void onAdd(T object) {
        queue.add(Keys.of(object));
    }

    @Override
    public void onUpdate(T old, T object) {
        queue.add(Keys.of(object));
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
        if (onDelete) {
            queue.add(Keys.of(object));
        }
    }
}
