package dev.flotilla.api.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineOptionsTest {

    @Test
    void readsSpacedAndEqualsFormsAndFlags() {
        Map<String, String> options = CommandLineOptions.parse(new String[] {"--count", "3", "--cpu=2", "--help"}, "help");
        assertThat(options).containsExactly(Map.entry("count", "3"), Map.entry("cpu", "2"), Map.entry("help", ""));
    }

    @Test
    void refusesPositionalArgumentsAndMissingValues() {
        assertThatThrownBy(() -> CommandLineOptions.parse(new String[] {"stray"})).hasMessage("unexpected argument: stray");
        assertThatThrownBy(() -> CommandLineOptions.parse(new String[] {"--count"})).hasMessage("--count needs a value");
    }
}
