package dev.flotilla.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpansionTest {

    private final Map<String, String> env = Map.of("NAME", "world", "EMPTY", "");

    @Test
    void expandsDefinedVariablesAndKeepsUnknownReferencesAsWritten() {
        assertThat(EnvExpansion.expand("hello-$(NAME)", env)).isEqualTo("hello-world");
        assertThat(EnvExpansion.expand("$(MISSING) $(NAME)", env)).isEqualTo("$(MISSING) world");
        assertThat(EnvExpansion.expand("[$(EMPTY)]", env)).isEqualTo("[]");
    }

    @Test
    void doubleDollarEscapesAndLoneDollarsStay() {
        assertThat(EnvExpansion.expand("$$(NAME)", env)).isEqualTo("$(NAME)");
        assertThat(EnvExpansion.expand("cost $5 $", env)).isEqualTo("cost $5 $");
        assertThat(EnvExpansion.expand("$(NAME", env)).isEqualTo("$(NAME");
    }
}
