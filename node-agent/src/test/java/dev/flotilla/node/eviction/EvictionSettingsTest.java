package dev.flotilla.node.eviction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvictionSettingsTest {

    private static final long MI = 1024L * 1024;

    @Test
    void defaultsAreUpstreams() {
        EvictionSettings settings = EvictionSettings.defaults();
        assertThat(settings.thresholds()).extracting(t -> t.signal().key() + "<" + (t.percentage() >= 0
                        ? Math.round(t.percentage() * 100) + "%" : EvictionMessages.bytes(t.quantity())))
                .containsExactly("memory.available<100Mi", "nodefs.available<10%", "nodefs.inodesFree<5%",
                        "imagefs.available<15%");
        assertThat(settings.thresholds()).allMatch(Threshold::isHard);
        assertThat(settings.pressureTransitionPeriod()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.imageGcHighThresholdPercent()).isEqualTo(85);
        assertThat(settings.imageGcLowThresholdPercent()).isEqualTo(80);
        assertThat(settings.imageMinimumGcAge()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.maxPerPodContainer()).isEqualTo(1);
        assertThat(settings.minimumContainerTtl()).isZero();
        assertThat(settings.monitoringInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void quantitiesPercentagesSoftThresholdsAndMinimumReclaim() {
        EvictionSettings settings = EvictionSettings.fromOptions(Map.of(
                "eviction-hard", "memory.available<500Mi, nodefs.available<99.99%,pid.available<1000",
                "eviction-soft", "memory.available<1Gi",
                "eviction-soft-grace-period", "memory.available=1m30s",
                "eviction-minimum-reclaim", "memory.available=100Mi,nodefs.available=5%",
                "eviction-pressure-transition-period", "30s",
                "image-minimum-gc-age", "0s"));
        Threshold hardMemory = settings.thresholds().get(0);
        assertThat(hardMemory.amount(8 * 1024 * MI)).isEqualTo(500 * MI);
        assertThat(hardMemory.minReclaim(8 * 1024 * MI)).isEqualTo(100 * MI);
        Threshold nodefs = settings.thresholds().get(1);
        assertThat(nodefs.amount(1_000_000)).isEqualTo(999_900);
        assertThat(nodefs.minReclaim(1_000_000)).isEqualTo(50_000);
        assertThat(settings.thresholds().get(2).amount(4_194_304)).isEqualTo(1000);
        Threshold soft = settings.thresholds().get(3);
        assertThat(soft.isHard()).isFalse();
        assertThat(soft.gracePeriod()).isEqualTo(Duration.ofSeconds(90));
        assertThat(soft.amount(0)).isEqualTo(1024 * MI);
        assertThat(soft.minReclaim(0)).as("minimum reclaim is per signal").isEqualTo(100 * MI);
        assertThat(settings.pressureTransitionPeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.imageMinimumGcAge()).isZero();
        assertThat(settings.hardThreshold(Signal.MEMORY_AVAILABLE)).contains(hardMemory);
        assertThat(settings.hardThreshold(Signal.IMAGEFS_AVAILABLE)).as("a given evictionHard replaces the defaults")
                .isEmpty();
    }

    @Test
    void zeroDisablesASignal() {
        EvictionSettings settings = EvictionSettings.fromOptions(Map.of("eviction-hard", "memory.available<0,nodefs.available<0%"));
        assertThat(settings.thresholds()).isEmpty();
    }

    @Test
    void badInputIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> parse("eviction-hard", "memory.available>100Mi"))
                .hasMessageContaining("invalid eviction threshold syntax memory.available>100Mi");
        assertThatThrownBy(() -> parse("eviction-hard", "memory.free<100Mi"))
                .hasMessageContaining("unsupported eviction signal memory.free");
        assertThatThrownBy(() -> parse("eviction-hard", "memory.available<100Mi,memory.available<1Gi"))
                .hasMessageContaining("found duplicate eviction threshold for signal memory.available");
        assertThatThrownBy(() -> parse("eviction-hard", "nodefs.available<120%"))
                .hasMessageContaining("must be <= 100%");
        assertThatThrownBy(() -> parse("eviction-hard", "nodefs.available<-5%"))
                .hasMessageContaining("must be >= 0%");
        assertThatThrownBy(() -> parse("eviction-hard", "memory.available<lots"))
                .hasMessageContaining("invalid quantity lots");
        assertThatThrownBy(() -> parse("eviction-soft", "memory.available<1Gi"))
                .hasMessageContaining("grace period must be specified for the soft eviction threshold memory.available");
        assertThatThrownBy(() -> EvictionSettings.fromOptions(Map.of("eviction-soft-grace-period", "memory.available=1m")))
                .hasMessageContaining("without a soft eviction threshold");
        assertThatThrownBy(() -> EvictionSettings.fromOptions(Map.of("image-gc-high-threshold", "70")))
                .hasMessageContaining("must be less than imageGCHighThresholdPercent");
        assertThatThrownBy(() -> EvictionSettings.fromOptions(Map.of("image-gc-high-threshold", "101")))
                .hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> EvictionSettings.fromOptions(Map.of("eviction-pressure-transition-period", "5 minutes")))
                .hasMessageContaining("invalid duration");
    }

    @Test
    void goDurations() {
        assertThat(GoDurations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(GoDurations.parse("1h2m3s")).isEqualTo(Duration.ofSeconds(3723));
        assertThat(GoDurations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(GoDurations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(GoDurations.parse("0")).isZero();
        assertThatThrownBy(() -> GoDurations.parse("5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDurations.parse("m5")).isInstanceOf(IllegalArgumentException.class);
        assertThat(GoDurations.format(Duration.ofMinutes(5))).isEqualTo("5m0s");
    }

    private static EvictionSettings parse(String option, String value) {
        return EvictionSettings.fromOptions(Map.of(option, value));
    }
}
