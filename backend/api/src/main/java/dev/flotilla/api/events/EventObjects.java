package dev.flotilla.api.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A core/v1 Event about an object as upstream's components record them (what {@code kubectl describe}
 * lists): named {@code <object>.<hex of the time in nanoseconds>} in the object's namespace (as upstream's, so
 * a list, which is in name order, has an object's events in the order they were made: kubectl
 * describe keeps that order for events of the same second), the involved object's
 * reference, the reporting component (and host, for a node's kubelet), count 1 and the time now.
 */
public final class EventObjects {

    private static final AtomicLong LAST_NANOS = new AtomicLong();

    private EventObjects() {
    }

    /** The time in nanoseconds since the epoch, later than any this process handed out before. */
    static long uniqueNanos() {
        Instant now = Instant.now();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return LAST_NANOS.updateAndGet(last -> Math.max(last + 1, nanos));
    }

    /** {@code host} null for components that are not on a node. */
    public static Event of(HasMetadata object, String type, String reason, String message, String component,
                           String host) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        return new EventBuilder().withNewMetadata()
                .withName(object.getMetadata().getName() + "." + Long.toHexString(uniqueNanos()))
                .withNamespace(namespace(object)).endMetadata()
                .withNewInvolvedObject().withApiVersion(object.getApiVersion()).withKind(object.getKind())
                .withNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName())
                .withUid(object.getMetadata().getUid()).withResourceVersion(object.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent(component).withHost(host).endSource()
                .withReportingComponent(component).withReportingInstance(host == null ? "" : host)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).build();
    }

    /** Events about cluster-scoped objects (a Node) live in {@code default}, as upstream's. */
    public static String namespace(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return namespace == null || namespace.isEmpty() ? "default" : namespace;
    }
}
