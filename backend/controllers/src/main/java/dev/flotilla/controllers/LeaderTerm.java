package dev.flotilla.controllers;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.ControllerRunner;
import dev.flotilla.controllers.framework.Informers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controllers while this process leads: fresh informers and controllers each term, so a process
 * that lost the lease and won it back starts from the API's state, not from stale caches.
 */
final class LeaderTerm implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderTerm.class);

    private final Informers informers;
    private final List<ControllerRunner> runners = new ArrayList<>();
    private volatile boolean closed;

    LeaderTerm(KubernetesClient client, MeterRegistry registry, Duration resync, List<Supplier<Controller>> controllers) {
        informers = new Informers(client, resync);
        ControllerContext context = new ControllerContext(client, informers, registry);
        for (Supplier<Controller> controller : controllers) {
            runners.add(new ControllerRunner(controller.get(), context));
        }
    }

    /** Starts the informers, waits until they have listed, then starts the workers. */
    void start() {
        var synced = informers.startAll();
        while (!closed) {
            try {
                synced.get(30, TimeUnit.SECONDS);
                break;
            } catch (TimeoutException e) {
                LOG.warn("controller informers not synced after 30 s; still waiting");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("controller informers failed to start: {}", e.toString());
                return;
            }
        }
        // Under the lock: a close that comes while the workers start must not stop the runners half started.
        synchronized (this) {
            if (!closed) {
                runners.forEach(ControllerRunner::startWorkers);
                LOG.info("controllers running: {}", runners.size());
            }
        }
    }

    /** Stops the workers and informers; a second call (a lost lease and a shutdown at once) does nothing. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        runners.forEach(ControllerRunner::close);
        informers.close();
    }
}
