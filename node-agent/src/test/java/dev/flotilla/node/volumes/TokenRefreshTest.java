package dev.flotilla.node.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenRefreshTest {

    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aTokenIsReplacedAtEightyPercentOfItsLife() {
        var hour = new ServiceAccountTokens.Issued("t", ISSUED, ISSUED.plus(Duration.ofHours(1)));
        assertThat(hour.due(ISSUED.plus(Duration.ofMinutes(47)))).isFalse();
        assertThat(hour.due(ISSUED.plus(Duration.ofMinutes(48)))).isTrue();
    }

    @Test
    void aLongLivedTokenIsReplacedAfterADay() {
        var year = new ServiceAccountTokens.Issued("t", ISSUED, ISSUED.plus(Duration.ofDays(365)));
        assertThat(year.due(ISSUED.plus(Duration.ofHours(23)))).isFalse();
        assertThat(year.due(ISSUED.plus(Duration.ofHours(24)))).isTrue();
    }
}
