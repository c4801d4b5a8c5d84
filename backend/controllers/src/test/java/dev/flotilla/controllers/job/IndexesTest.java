package dev.flotilla.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class IndexesTest {

    @Test
    void runsAreWrittenAsRanges() {
        assertThat(Indexes.format(Set.of(0, 1, 2, 4, 6, 7))).isEqualTo("0-2,4,6-7");
        assertThat(Indexes.format(Set.of())).isEmpty();
        assertThat(Indexes.parse("0-2,4,6-7")).containsExactly(0, 1, 2, 4, 6, 7);
        assertThat(Indexes.parse(null)).isEmpty();
    }
}
