package dev.flotilla.controllers.framework;

import dev.flotilla.controllers.workqueue.WorkQueue;

/**
 * One control loop. {@link #register} asks the shared informers for what the controller watches
 * and adds handlers that only enqueue keys; {@link #reconcile} then brings one key's objects to
 * what their current state asks for, idempotently. A reconcile that throws is retried with
 * back-off; one that returns normally is forgotten.
 */
public interface Controller {

    /** Names the queue, the worker threads and the metrics, e.g. {@code namespace}. */
    String name();

    /** How many keys are reconciled at once. */
    default int workers() {
        return 2;
    }

    void register(ControllerContext context, WorkQueue<String> queue);

    void reconcile(String key) throws Exception;

    /** Releases what register started besides the shared informers (periodic tasks). */
    default void stop() {
    }
}
