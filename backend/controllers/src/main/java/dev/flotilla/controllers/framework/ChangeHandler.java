package dev.flotilla.controllers.framework;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/**
 * An informer handler that hands each changed object (the new one on update) to one consumer, for
 * controllers whose handlers enqueue keys of other objects (a pod's claims, a claim's volumes) rather
 * than the object's own key, which {@link Enqueue} does.
 */
public final class ChangeHandler<T> implements ResourceEventHandler<T> {

    private final Consumer<T> changed;
    private final boolean onlyDeletes;

    private ChangeHandler(Consumer<T> changed, boolean onlyDeletes) {
        this.changed = changed;
        this.onlyDeletes = onlyDeletes;
    }

    /** On add, update and delete. */
    public static <T> ChangeHandler<T> of(Consumer<T> changed) {
        return new ChangeHandler<>(changed, false);
    }

    /** On delete only. */
    public static <T> ChangeHandler<T> onDelete(Consumer<T> deleted) {
        return new ChangeHandler<>(deleted, true);
    }

    @Override
    public void onAdd(T object) {
        if (!onlyDeletes) {
            changed.accept(object);
        }
    }

    @Override
    public void onUpdate(T old, T object) {
        if (!onlyDeletes) {
            changed.accept(object);
        }
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
        changed.accept(object);
    }
}
