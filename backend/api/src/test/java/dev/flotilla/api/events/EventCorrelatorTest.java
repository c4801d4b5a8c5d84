package dev.flotilla.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.events.EventCorrelator.Create;
import dev.flotilla.api.events.EventCorrelator.Decision;
import dev.flotilla.api.events.EventCorrelator.Drop;
import dev.flotilla.api.events.EventCorrelator.Update;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCorrelatorTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final EventCorrelator correlator = new EventCorrelator(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void aThousandPodsCreatedMakeAFewEventsNotAThousand() {
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Decision decision = correlator.correlate(event("web", "SuccessfulCreate", "Created pod: web-" + i));
            if (decision instanceof Create create) {
                correlator.created(create.event());
            }
            decisions.add(decision);
        }
        // 9 events with their own message, then one combined event counted up to the bucket's 25.
        assertThat(decisions.subList(0, 9)).allMatch(d -> d instanceof Create);
        assertThat(((Create) decisions.get(0)).event().getMessage()).isEqualTo("Created pod: web-0");
        Create combined = (Create) decisions.get(9);
        assertThat(combined.event().getMessage()).isEqualTo("(combined from similar events): Created pod: web-9");
        assertThat(decisions.subList(10, 25)).allMatch(d -> d instanceof Update);
        Update last = (Update) decisions.get(24);
        assertThat(last.name()).isEqualTo(combined.event().getMetadata().getName());
        assertThat(last.count()).isEqualTo(16);
        assertThat(last.message()).isEqualTo("(combined from similar events): Created pod: web-24");
        assertThat(decisions.subList(25, 1000)).allMatch(d -> d instanceof Drop);
    }

    @Test
    void theBucketRefillsOneEventEveryFiveMinutes() {
        for (int i = 0; i < 25; i++) {
            assertThat(correlator.correlate(event("web", "BackOff", "Back-off " + i % 3))).isNotInstanceOf(Drop.class);
        }
        assertThat(correlator.correlate(event("web", "BackOff", "Back-off 0"))).isInstanceOf(Drop.class);
        now = now.plus(Duration.ofMinutes(5));
        assertThat(correlator.correlate(event("web", "BackOff", "Back-off 0"))).isNotInstanceOf(Drop.class);
        assertThat(correlator.correlate(event("web", "BackOff", "Back-off 0"))).isInstanceOf(Drop.class);
        // Another object has a bucket of its own.
        assertThat(correlator.correlate(event("api", "BackOff", "Back-off 0"))).isInstanceOf(Create.class);
    }

    @Test
    void anIdenticalEventCountsUpTheOneWritten() {
        Create first = (Create) correlator.correlate(event("web", "Unhealthy", "Readiness probe failed"));
        correlator.created(first.event());
        now = now.plusSeconds(30);
        Update second = (Update) correlator.correlate(event("web", "Unhealthy", "Readiness probe failed"));
        assertThat(second.name()).isEqualTo(first.event().getMetadata().getName());
        assertThat(second.count()).isEqualTo(2);
        assertThat(second.lastTimestamp()).isEqualTo("2026-01-01T00:00:30Z");
        // Once the written one is gone, the next is created again.
        correlator.gone(second.namespace(), second.name());
        assertThat(correlator.correlate(event("web", "Unhealthy", "Readiness probe failed"))).isInstanceOf(Create.class);
    }

    @Test
    void similarEventsFarApartAreNotCombined() {
        for (int i = 0; i < 20; i++) {
            Decision decision = correlator.correlate(event("web", "SuccessfulCreate", "Created pod: web-" + i));
            assertThat(((Create) decision).event().getMessage()).doesNotContain("combined");
            now = now.plus(Duration.ofMinutes(11));
        }
    }

    private static Event event(String name, String reason, String message) {
        return EventObjects.of(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ns")
                .withUid("uid-" + name).endMetadata().build(), "Normal", reason, message, "replicaset-controller", null);
    }
}
