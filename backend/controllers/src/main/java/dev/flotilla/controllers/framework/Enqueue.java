package dev.flotilla.controllers.framework;

import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Function;

/** An informer handler that only enqueues the key it maps each added, updated or deleted object to (null: none). */
public final class Enqueue<T> implements ResourceEventHandler<T> {

    private final WorkQueue<String> queue;
    private final Function<T, String> key;

    private Enqueue(WorkQueue<String> queue, Function<T, String> key) {
        this.queue = queue;
        this.key = key;
    }

    public static <T> Enqueue<T> by(WorkQueue<String> queue, Function<T, String> key) {
        return new Enqueue<>(queue, key);
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
        enqueue(object);
    }
}
