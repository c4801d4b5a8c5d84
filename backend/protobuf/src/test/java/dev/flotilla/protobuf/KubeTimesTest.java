package dev.flotilla.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** metav1.Time and MicroTime text forms as Go's MarshalJSON writes and UnmarshalJSON reads them. */
class KubeTimesTest {

  private static final long SECONDS = Instant.parse("2024-01-02T03:04:05Z").getEpochSecond();

  @Test
  void timeHasWholeSecondsInUtc() {
    assertThat(KubeTimes.time(SECONDS)).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(KubeTimes.time(0)).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void microTimeHasSixDigitsTruncated() {
    assertThat(KubeTimes.microTime(SECONDS, 0)).isEqualTo("2024-01-02T03:04:05.000000Z");
    assertThat(KubeTimes.microTime(SECONDS, 999_999_999)).isEqualTo("2024-01-02T03:04:05.999999Z");
  }

  @Test
  void parsesAnyOffset() {
    assertThat(KubeTimes.parse("2024-01-02T04:04:05+01:00").getEpochSecond()).isEqualTo(SECONDS);
    assertThat(KubeTimes.parse("2024-01-02T03:04:05.5Z").getNano()).isEqualTo(500_000_000);
    assertThatThrownBy(() -> KubeTimes.parse("yesterday"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyTimeMessageIsNull() {
    var empty = TestMessages.of(SpecialTypes.TIME).build();
    var epoch = TestMessages.of(SpecialTypes.TIME).set("seconds", 0L).build();

    assertThat(SpecialTypes.toJson(empty, 0).isNull()).isTrue();
    assertThat(SpecialTypes.toJson(epoch, 0).asText()).isEqualTo("1970-01-01T00:00:00Z");
  }
}
