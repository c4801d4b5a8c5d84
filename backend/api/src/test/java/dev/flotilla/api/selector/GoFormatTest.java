package dev.flotilla.api.selector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GoFormatTest {

    @Test
    void quotesLikeStrconvQuote() {
        assertThat(GoFormat.quote("plain")).isEqualTo("\"plain\"");
        assertThat(GoFormat.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(GoFormat.quote("tab\tnl\n\u0001\u007f")).isEqualTo("\"tab\\tnl\\n\\x01\\x7f\"");
        assertThat(GoFormat.quote("héllo 함")).isEqualTo("\"héllo 함\"");
        assertThat(GoFormat.quote("nb\u00a0sp\u200b")).isEqualTo("\"nb\\u00a0sp\\u200b\"");
    }

    @Test
    void printsStringSlicesLikeGoSyntax() {
        assertThat(GoFormat.stringSlice(List.of("a", "b"))).isEqualTo("[]string{\"a\", \"b\"}");
        assertThat(GoFormat.stringSlice(List.of())).isEqualTo("[]string(nil)");
    }

    @Test
    void aggregatesLikeUpstreamErrorLists() {
        assertThat(GoFormat.aggregate(List.of("one"))).isEqualTo("one");
        assertThat(GoFormat.aggregate(List.of("one", "one"))).isEqualTo("one");
        assertThat(GoFormat.aggregate(List.of("one", "two", "one"))).isEqualTo("[one, two]");
    }
}
