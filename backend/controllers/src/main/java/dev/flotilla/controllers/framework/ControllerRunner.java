package dev.flotilla.controllers.framework;

import dev.flotilla.controllers.workqueue.RateLimiter;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one controller: its work queue and its workers, each taking a key, reconciling it, and
 * forgetting it on success or re-queueing it with back-off on failure. Reconcile time is recorded as
 * the {@code controller_reconcile_duration_seconds} histogram, failures as
 * {@code controller_reconcile_errors_total}.
 */
public final class ControllerRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerRunner.class);

    private final Controller controller;
    private final WorkQueue<String> queue;
    private final Timer latency;
    private final Counter errors;
    private final MeterRegistry registry;
    private final List<Thread> workers = new ArrayList<>();

    public ControllerRunner(Controller controller, ControllerContext context) {
        this.controller = controller;
        this.registry = context.registry();
        this.queue = new WorkQueue<>(controller.name(), RateLimiter.controllerDefault(), registry);
        this.latency = Timer.builder("controller.reconcile.duration").tag("controller", controller.name())
                .description("Time of one reconcile").publishPercentileHistogram().register(registry);
        this.errors = Counter.builder("controller.reconcile.errors").tag("controller", controller.name())
                .description("Reconciles that failed and were re-queued").register(registry);
        controller.register(context, queue);
    }

    public void startWorkers() {
        for (int i = 0; i < controller.workers(); i++) {
            Thread worker = new Thread(this::work, controller.name() + "-controller-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    private void work() {
        while (true) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            Timer.Sample sample = Timer.start(registry);
            try {
                controller.reconcile(key);
                queue.forget(key);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                errors.increment();
                LOG.info("{} controller: reconcile of {} failed (retry {}): {}", controller.name(), key,
                        queue.retries(key) + 1, e.toString());
                queue.addRateLimited(key);
            } finally {
                sample.stop(latency);
                queue.done(key);
            }
        }
    }

    @Override
    public void close() {
        controller.stop();
        queue.close();
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        registry.remove(latency);
        registry.remove(errors);
    }
}
