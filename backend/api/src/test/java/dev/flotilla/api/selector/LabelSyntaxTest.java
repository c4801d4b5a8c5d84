package dev.flotilla.api.selector;

import static dev.flotilla.api.selector.Messages.NAME_PART;
import static dev.flotilla.api.selector.Messages.NAME_REGEX;
import static dev.flotilla.api.selector.Messages.PREFIX_PART;
import static dev.flotilla.api.selector.Messages.VALUE_REGEX;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"app", "App_1.x-y", "a", "example.com/app", "k8s.io/MyName", "x.y-z/1"})
    void acceptsQualifiedNames(String key) {
        assertThat(LabelSyntax.qualifiedNameErrors(key)).isEmpty();
    }

    @Test
    void rejectsNameWithBadCharacters() {
        assertThat(LabelSyntax.qualifiedNameErrors("-app")).containsExactly(NAME_PART);
        assertThat(LabelSyntax.qualifiedNameErrors("a b")).containsExactly(NAME_PART);
    }

    @Test
    void rejectsEmptyName() {
        assertThat(LabelSyntax.qualifiedNameErrors("")).containsExactly("name part must be non-empty", NAME_PART);
        assertThat(LabelSyntax.qualifiedNameErrors("example.com/"))
                .containsExactly("name part must be non-empty", NAME_PART);
    }

    @Test
    void rejectsNameLongerThan63Characters() {
        assertThat(LabelSyntax.qualifiedNameErrors("a".repeat(63))).isEmpty();
        assertThat(LabelSyntax.qualifiedNameErrors("a".repeat(64)))
                .containsExactly("name part must be no more than 63 characters");
    }

    @Test
    void rejectsBadPrefix() {
        assertThat(LabelSyntax.qualifiedNameErrors("/app")).containsExactly("prefix part must be non-empty");
        assertThat(LabelSyntax.qualifiedNameErrors("Example.com/app")).containsExactly(PREFIX_PART);
        assertThat(LabelSyntax.qualifiedNameErrors("a".repeat(254) + "/app"))
                .containsExactly("prefix part must be no more than 253 characters");
    }

    @Test
    void rejectsMoreThanOneSlash() {
        assertThat(LabelSyntax.qualifiedNameErrors("a/b/c")).containsExactly("a qualified name " + NAME_REGEX
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v", "My_value-1.2", "12345"})
    void acceptsLabelValues(String value) {
        assertThat(LabelSyntax.labelValueErrors(value)).isEmpty();
    }

    @Test
    void rejectsBadLabelValues() {
        assertThat(LabelSyntax.labelValueErrors("no space")).containsExactly(VALUE_REGEX);
        assertThat(LabelSyntax.labelValueErrors("_x")).containsExactly(VALUE_REGEX);
        assertThat(LabelSyntax.labelValueErrors("a".repeat(64))).containsExactly("must be no more than 63 characters");
        assertThat(LabelSyntax.labelValueErrors("-".repeat(64)))
                .containsExactly("must be no more than 63 characters", VALUE_REGEX);
    }

    @Test
    void measuresLengthInBytesLikeGo() {
        assertThat(LabelSyntax.labelValueErrors("é".repeat(32))).contains("must be no more than 63 characters");
    }
}
