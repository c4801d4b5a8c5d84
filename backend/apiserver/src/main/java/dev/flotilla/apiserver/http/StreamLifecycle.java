package dev.flotilla.apiserver.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** The open/closed state of a streamed response and its close callbacks, each run exactly once. */
final class StreamLifecycle {

    private final AtomicBoolean open = new AtomicBoolean(true);
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

    boolean isOpen() {
        return open.get();
    }

    void onClose(Runnable callback) {
        AtomicBoolean ran = new AtomicBoolean();
        Runnable once = () -> {
            if (ran.compareAndSet(false, true)) {
                callback.run();
            }
        };
        callbacks.add(once);
        if (!open.get()) {
            once.run();
        }
    }

    /** Marks the stream closed and runs the callbacks; later calls do nothing. */
    void closed() {
        if (open.compareAndSet(true, false)) {
            callbacks.forEach(Runnable::run);
        }
    }
}
