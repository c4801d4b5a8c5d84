package dev.flotilla.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FieldValueEscapingTest {

    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of("", ""),
                Arguments.of("a", "a"),
                Arguments.of("=", "\\="),
                Arguments.of(",", "\\,"),
                Arguments.of("\\", "\\\\"),
                Arguments.of("\\=\\,\\", "\\\\\\=\\\\\\,\\\\"),
                Arguments.of("함", "함"));
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void escapesAndUnescapes(String raw, String escaped) {
        assertThat(FieldValueEscaping.escape(raw)).isEqualTo(escaped);
        assertThat(FieldValueEscaping.unescape(escaped)).isEqualTo(raw);
    }

    @Test
    void rejectsInvalidSequences() {
        assertThatThrownBy(() -> FieldValueEscaping.unescape("\\"))
                .hasMessage("invalid field selector: invalid escape sequence: \\");
        assertThatThrownBy(() -> FieldValueEscaping.unescape("\\\\\\"))
                .hasMessage("invalid field selector: invalid escape sequence: \\");
        assertThatThrownBy(() -> FieldValueEscaping.unescape("\\a"))
                .hasMessage("invalid field selector: invalid escape sequence: \\a");
        assertThatThrownBy(() -> FieldValueEscaping.unescape("a,b"))
                .hasMessage("invalid field selector: unescaped character in value: 44");
    }

    @Test
    void splitsTermsAtUnescapedCommasOnly() {
        assertThat(FieldSelectorParser.splitTerms("")).isEmpty();
        assertThat(FieldSelectorParser.splitTerms("a=a,")).containsExactly("a=a", "");
        assertThat(FieldSelectorParser.splitTerms("k=\\,,k2=v2")).containsExactly("k=\\,", "k2=v2");
        assertThat(FieldSelectorParser.splitTerms("k=\\\\,k2=v2")).containsExactly("k=\\\\", "k2=v2");
        assertThat(FieldSelectorParser.splitTerms("k=\\\\\\,,k2=v2")).containsExactly("k=\\\\\\,", "k2=v2");
        assertThat(FieldSelectorParser.splitTerms("k=\\")).containsExactly("k=\\");
    }
}
