package dev.flotilla.controllers.framework;

import dev.flotilla.api.events.EventCorrelator;
import dev.flotilla.api.events.EventObjects;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about an object, as a controller's component (what {@code kubectl describe}
 * lists). As upstream's event broadcaster: recording never waits for the API (events are written by
 * one background thread, and beyond a backlog of 1,000 they are dropped), and each event goes
 * through the {@link EventCorrelator} first, so a burst about one object is counted on one event or
 * dropped rather than written a thousand times.
 */
public final class EventRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final int BACKLOG = 1000;

    private final KubernetesClient client;
    private final String component;
    private final EventCorrelator correlator = new EventCorrelator();
    private final ThreadPoolExecutor writer;

    public EventRecorder(KubernetesClient client, String component) {
        this.client = client;
        this.component = component;
        this.writer = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKLOG), runnable -> {
            Thread thread = new Thread(runnable, component + "-events");
            thread.setDaemon(true);
            return thread;
        });
        writer.allowCoreThreadTimeOut(true);
    }

    public void normal(HasMetadata object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(HasMetadata object, String reason, String message) {
        record(object, "Warning", reason, message);
    }

    private void record(HasMetadata object, String type, String reason, String message) {
        Event event = EventObjects.of(object, type, reason, message, component, null);
        try {
            writer.execute(() -> write(event));
        } catch (RejectedExecutionException e) {
            LOG.debug("event backlog full: dropped {} for {}", reason, Keys.of(object));
        }
    }

    private void write(Event event) {
        try {
            EventCorrelator.Decision decision = correlator.correlate(event);
            if (decision instanceof EventCorrelator.Create create) {
                create(create.event());
            } else if (decision instanceof EventCorrelator.Update update) {
                update(update, event);
            } else {
                LOG.debug("event {} about {} dropped by the spam filter", event.getReason(),
                        event.getInvolvedObject().getName());
            }
        } catch (KubernetesClientException e) {
            LOG.debug("cannot record event {} about {}: {}", event.getReason(), event.getInvolvedObject().getName(),
                    e.getMessage());
        }
    }

    private void create(Event event) {
        client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
        correlator.created(event);
    }

    /** Counts up the event written before; if it is gone (expired), writes this one afresh. */
    private void update(EventCorrelator.Update update, Event event) {
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("count", update.count());
        patch.put("lastTimestamp", update.lastTimestamp());
        patch.put("message", update.message());
        try {
            client.v1().events().inNamespace(update.namespace()).withName(update.name())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            correlator.gone(update.namespace(), update.name());
            event.setMessage(update.message());
            create(event);
        }
    }
}
