package dev.flotilla.api.concurrent;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Executors on named daemon threads, for background loops that must never keep a JVM alive. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A single-threaded scheduler whose thread is called {@code name}. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
