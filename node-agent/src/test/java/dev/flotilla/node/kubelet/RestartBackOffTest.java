package dev.flotilla.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartBackOffTest {

    private final RestartBackOff backOff = new RestartBackOff();
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void firstRestartIsImmediateThenTenSecondsDoublingToFiveMinutes() {
        assertThat(backOff.remaining("uid/c", t0, t0)).isZero();
        Instant t = t0;
        Duration expected = Duration.ofSeconds(10);
        for (int i = 0; i < 8; i++) {
            backOff.restarted("uid/c", t, t);
            Instant finished = t.plusSeconds(1);
            assertThat(backOff.remaining("uid/c", finished, finished)).isEqualTo(expected);
            t = finished.plus(expected);
            assertThat(backOff.remaining("uid/c", finished, t)).isZero();
            expected = expected.multipliedBy(2).compareTo(RestartBackOff.MAX) > 0 ? RestartBackOff.MAX : expected.multipliedBy(2);
        }
        assertThat(backOff.current("uid/c")).isEqualTo(RestartBackOff.MAX);
    }

    @Test
    void aContainerUpTenMinutesStartsOverAndForgetPodClears() {
        backOff.restarted("uid/c", t0, t0);
        backOff.restarted("uid/c", t0.plusSeconds(20), t0.plusSeconds(20));
        assertThat(backOff.current("uid/c")).isEqualTo(Duration.ofSeconds(20));
        Instant muchLater = t0.plus(Duration.ofMinutes(11));
        backOff.restarted("uid/c", muchLater, muchLater);
        assertThat(backOff.current("uid/c")).isEqualTo(RestartBackOff.INITIAL);
        backOff.forgetPod("uid");
        assertThat(backOff.remaining("uid/c", muchLater, muchLater)).isZero();
    }
}
