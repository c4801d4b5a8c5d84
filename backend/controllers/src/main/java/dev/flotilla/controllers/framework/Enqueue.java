package dev.flotilla.controllers.framework;

import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Function;

/**
 * An informer handler that only enqueues the key it maps each added, updated and (unless built with
 * {@link #onChange}) deleted object to; a null key enqueues nothing. {@code Enqueue.by(queue, Keys::of)}
 * is the usual handler of a controller's own resource.
 */
public final class Enqueue<T> implements ResourceEventHandler<T> {

    private final WorkQueue<String> queue;
    private final Function<T, String> key;
    private final boolean onDelete;

    private Enqueue(WorkQueue<String> queue, Function<T, String> key, boolean onDelete) {
        this.queue = queue;
        this.key = key;
        this.onDelete = onDelete;
    }

    /** Enqueues on add, update and delete (the reconcile cleans up after a deleted object). */
    public static <T> Enqueue<T> by(WorkQueue<String> queue, Function<T, String> key) {
        return new Enqueue<>(queue, key, true);
    }

    /** Enqueues on add and update only: a deleted object needs nothing done. */
    public static <T> Enqueue<T> onChange(WorkQueue<String> queue, Function<T, String> key) {
        return new Enqueue<>(queue, key, false);
    }

    private void enqueue(T object) {
        String k = key.apply(object);
        if (k != null) {
            queue.add(k);
        }
    }

    @Override
    public void onAdd(T object) {
        enqueue(object);
    }

    @Override
    public void onUpdate(T old, T object) {
        enqueue(object);
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
        if (onDelete) {
            enqueue(object);
        }
    }
}
