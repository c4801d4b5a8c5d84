package dev.flotilla.controllers.framework;

import dev.flotilla.api.events.EventObjects;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records core/v1 Events about an object, as a controller's component (what {@code kubectl describe} lists). */
public final class EventRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final String component;

    public EventRecorder(KubernetesClient client, String component) {
        this.client = client;
        this.component = component;
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
            client.v1().events().inNamespace(EventObjects.namespace(object)).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.debug("cannot record event {} for {}: {}", reason, Keys.of(object), e.getMessage());
        }
    }
}
