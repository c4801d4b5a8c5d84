package dev.flotilla.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Go's Duration.String and ParseDuration, on the cases Go's own tests use. */
class GoDurationTest {

  @Test
  void formatsLikeGo() {
    assertThat(GoDuration.format(0)).isEqualTo("0s");
    assertThat(GoDuration.format(1)).isEqualTo("1ns");
    assertThat(GoDuration.format(1_100)).isEqualTo("1.1\u00b5s");
    assertThat(GoDuration.format(2_200_000)).isEqualTo("2.2ms");
    assertThat(GoDuration.format(3_300_000_000L)).isEqualTo("3.3s");
    assertThat(GoDuration.format(245_000_000_000L)).isEqualTo("4m5s");
    assertThat(GoDuration.format(245_001_000_000L)).isEqualTo("4m5.001s");
    assertThat(GoDuration.format(18_367_001_000_000L)).isEqualTo("5h6m7.001s");
    assertThat(GoDuration.format(480_000_000_001L)).isEqualTo("8m0.000000001s");
    assertThat(GoDuration.format(3_600_000_000_000L)).isEqualTo("1h0m0s");
    assertThat(GoDuration.format(-1_000_000_000L)).isEqualTo("-1s");
    assertThat(GoDuration.format(Long.MAX_VALUE)).isEqualTo("2562047h47m16.854775807s");
    assertThat(GoDuration.format(Long.MIN_VALUE)).isEqualTo("-2562047h47m16.854775808s");
  }

  @Test
  void parsesLikeGo() {
    assertThat(GoDuration.parse("0")).isZero();
    assertThat(GoDuration.parse("1h30m")).isEqualTo(5_400_000_000_000L);
    assertThat(GoDuration.parse("1.5h")).isEqualTo(5_400_000_000_000L);
    assertThat(GoDuration.parse("-2m3.5s")).isEqualTo(-123_500_000_000L);
    assertThat(GoDuration.parse("300ms")).isEqualTo(300_000_000L);
    assertThat(GoDuration.parse("1us")).isEqualTo(GoDuration.parse("1\u00b5s")).isEqualTo(1_000L);
    assertThat(GoDuration.parse(GoDuration.format(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    for (String invalid : new String[] {"", "1", "1x", "h", ".s", "-"}) {
      assertThatThrownBy(() -> GoDuration.parse(invalid))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void durationMessagesBecomeGoStrings() {
    var duration = TestMessages.of(SpecialTypes.DURATION).set("duration", 90_000_000_000L).build();

    assertThat(SpecialTypes.toJson(duration, 0).asText()).isEqualTo("1m30s");
    assertThat(SpecialTypes.fromJson(JsonTrees.json("'1m30s'"), duration.getDescriptorForType()))
        .isEqualTo(duration);
  }
}
