package dev.flotilla.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.cli.CommandLineOptions;
import dev.flotilla.node.eviction.Signal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The eviction and garbage collection options of {@code node-agent run}. */
class NodeAgentCommandEvictionTest {

    @Test
    void withoutOptionsTheAgentHasUpstreamsDefaults() {
        NodeAgentConfig config = NodeAgentCommand.config(CommandLineOptions.parse(new String[0]));
        assertThat(config.eviction().thresholds()).hasSize(4);
        assertThat(config.eviction().imageGcHighThresholdPercent()).isEqualTo(85);
    }

    @Test
    void optionsAsTheKubeletsFlags() {
        NodeAgentConfig config = NodeAgentCommand.config(CommandLineOptions.parse(new String[] {
                "--eviction-hard", "memory.available<1Gi", "--eviction-pressure-transition-period=30s",
                "--image-gc-high-threshold", "90", "--image-minimum-gc-age", "10m"}));
        assertThat(config.eviction().thresholds()).singleElement().satisfies(t -> {
            assertThat(t.signal()).isEqualTo(Signal.MEMORY_AVAILABLE);
            assertThat(t.amount(0)).isEqualTo(1024L * 1024 * 1024);
        });
        assertThat(config.eviction().pressureTransitionPeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.eviction().imageGcHighThresholdPercent()).isEqualTo(90);
        assertThat(config.eviction().imageMinimumGcAge()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aBadValueIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> NodeAgentCommand.config(CommandLineOptions.parse(new String[] {
                "--eviction-hard", "memory.free<1Gi"})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--eviction-hard: unsupported eviction signal memory.free");
        assertThatThrownBy(() -> NodeAgentCommand.config(CommandLineOptions.parse(new String[] {
                "--maximum-dead-containers-per-container", "one"})))
                .hasMessageContaining("must be a whole number");
    }
}
