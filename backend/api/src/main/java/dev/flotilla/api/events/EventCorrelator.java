package dev.flotilla.api.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a component does with an event before writing it, as upstream's event correlator
 * (client-go tools/record) decides, so that a controller creating a thousand pods does not write a
 * thousand events:
 * <ul>
 * <li>spam filter: per source and involved object, a bucket of 25 events refilled with one every 5
 * minutes; an event finding the bucket empty is dropped;</li>
 * <li>aggregation: once 10 events that differ only in their message arrived with less than 10
 * minutes between one and the next, the 10th and later ones carry the message
 * {@code (combined from similar events): <message>};</li>
 * <li>deduplication: an event identical to one already written (same source, object, type,
 * reason and message) increments that event's {@code count} and {@code lastTimestamp} instead of
 * creating another.</li>
 * </ul>
 * Each cache keeps the 4,096 most recent keys. Thread-safe.
 */
public final class EventCorrelator {

    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);
    static final int MAX_SIMILAR = 10;
    static final Duration SIMILAR_WINDOW = Duration.ofMinutes(10);
    static final String COMBINED = "(combined from similar events): ";
    private static final int MAX_KEYS = 4096;

    /** The outcome for one event. */
    public sealed interface Decision {
    }

    /** Write this (possibly aggregated) event as a new object. */
    public record Create(Event event) implements Decision {
    }

    /** Patch the existing event {@code namespace/name}: new count, lastTimestamp and message. */
    public record Update(String namespace, String name, int count, String lastTimestamp, String message)
            implements Decision {
    }

    /** Do not write anything. */
    public record Drop() implements Decision {
    }

    private record Bucket(double tokens, Instant at) {
    }

    private record Similar(Set<String> messages, Instant lastSeen) {
    }

    private record Written(String namespace, String name, int count) {
    }

    private final Clock clock;
    private final Map<String, Bucket> buckets = lru();
    private final Map<String, Similar> similar = lru();
    private final Map<String, Written> written = lru();

    public EventCorrelator(Clock clock) {
        this.clock = clock;
    }

    public EventCorrelator() {
        this(Clock.systemUTC());
    }

    public synchronized Decision correlate(Event event) {
        Instant now = clock.instant();
        if (!takeToken(spamKey(event), now)) {
            return new Drop();
        }
        String message = aggregatedMessage(event, now);
        String identity = identity(event, message);
        Written previous = written.get(identity);
        if (previous != null) {
            Written next = new Written(previous.namespace(), previous.name(), previous.count() + 1);
            written.put(identity, next);
            return new Update(next.namespace(), next.name(), next.count(), now.toString(), message);
        }
        event.setMessage(message);
        return new Create(event);
    }

    /** Remembers a created event, so that identical ones update it. */
    public synchronized void created(Event event) {
        written.put(identity(event, event.getMessage()), new Written(event.getMetadata().getNamespace(),
                event.getMetadata().getName(), event.getCount() == null ? 1 : event.getCount()));
    }

    /** Forgets an event that is gone (an update answered 404), so the next identical one is created. */
    public synchronized void gone(String namespace, String name) {
        written.values().removeIf(w -> w.namespace().equals(namespace) && w.name().equals(name));
    }

    private boolean takeToken(String key, Instant now) {
        Bucket bucket = buckets.get(key);
        double tokens = BURST;
        if (bucket != null) {
            double refilled = (double) Duration.between(bucket.at(), now).toMillis() / REFILL.toMillis();
            tokens = Math.min(BURST, bucket.tokens() + Math.max(0, refilled));
        }
        if (tokens < 1) {
            buckets.put(key, new Bucket(tokens, now));
            return false;
        }
        buckets.put(key, new Bucket(tokens - 1, now));
        return true;
    }

    private String aggregatedMessage(Event event, Instant now) {
        String key = aggregateKey(event);
        Similar seen = similar.get(key);
        Set<String> messages = seen == null || Duration.between(seen.lastSeen(), now).compareTo(SIMILAR_WINDOW) > 0
                ? new HashSet<>() : seen.messages();
        similar.put(key, new Similar(messages, now));
        messages.add(event.getMessage());
        if (messages.size() < MAX_SIMILAR) {
            return event.getMessage();
        }
        // The set stays at its bound, as upstream's.
        messages.remove(messages.iterator().next());
        return COMBINED + event.getMessage();
    }

    /**
     * Which written event a new one counts up: the one with the same message, or, once similar events
     * are combined, the one combined event (whose message then follows the latest).
     */
    private static String identity(Event event, String message) {
        return aggregateKey(event) + "\u0000" + (message.startsWith(COMBINED) ? COMBINED : message);
    }

    private static String spamKey(Event event) {
        ObjectReference object = event.getInvolvedObject();
        return String.join("\u0000", source(event), nonNull(object.getKind()), nonNull(object.getNamespace()),
                nonNull(object.getName()), nonNull(object.getUid()), nonNull(object.getApiVersion()));
    }

    private static String aggregateKey(Event event) {
        return String.join("\u0000", spamKey(event), nonNull(event.getType()), nonNull(event.getReason()),
                nonNull(event.getReportingComponent()), nonNull(event.getReportingInstance()));
    }

    private static String source(Event event) {
        return event.getSource() == null ? "" : nonNull(event.getSource().getComponent()) + "\u0000"
                + nonNull(event.getSource().getHost());
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_KEYS;
            }
        };
    }
}
