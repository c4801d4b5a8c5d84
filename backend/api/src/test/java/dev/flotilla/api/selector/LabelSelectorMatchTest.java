package dev.flotilla.api.selector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorMatchTest {

    private static final Map<String, String> NONE = Map.of();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("", Map.of("x", "y"), true),
                Arguments.of("", NONE, true),
                Arguments.of("x=y", Map.of("x", "y"), true),
                Arguments.of("x==y", Map.of("x", "y"), true),
                Arguments.of("x=y", Map.of("x", "z"), false),
                Arguments.of("x=z", NONE, false),
                Arguments.of("x=", Map.of("x", ""), true),
                Arguments.of("x=", NONE, false),
                Arguments.of("x!=y", Map.of("x", "z"), true),
                Arguments.of("x!=y", Map.of("x", "y"), false),
                Arguments.of("x!=y", NONE, true),
                Arguments.of("x in (a,b)", Map.of("x", "b"), true),
                Arguments.of("x in (a,b)", Map.of("x", "c"), false),
                Arguments.of("x in (a,b)", NONE, false),
                Arguments.of("x notin (a,b)", Map.of("x", "c"), true),
                Arguments.of("x notin (a,b)", Map.of("x", "a"), false),
                Arguments.of("x notin (a)", NONE, true),
                Arguments.of("x", Map.of("x", "z"), true),
                Arguments.of("x", Map.of("x", ""), true),
                Arguments.of("x", Map.of("y", "z"), false),
                Arguments.of("!x", Map.of("y", "z"), true),
                Arguments.of("!x", Map.of("x", "z"), false),
                Arguments.of("x>1", Map.of("x", "2"), true),
                Arguments.of("x>1", Map.of("x", "1"), false),
                Arguments.of("x>1", Map.of("x", "0"), false),
                Arguments.of("x>1", Map.of("x", "two"), false),
                Arguments.of("x>1", NONE, false),
                Arguments.of("x<1", Map.of("x", "0"), true),
                Arguments.of("x<1", Map.of("x", "-5"), true),
                Arguments.of("x<1", Map.of("x", "2"), false),
                Arguments.of("x<10", Map.of("x", "007"), true),
                Arguments.of("notin=in", Map.of("notin", "in"), true));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("cases")
    void matchesLikeUpstream(String selector, Map<String, String> labels, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(labels)).isEqualTo(expected);
    }

    @Test
    void requiresEveryRequirement() {
        Map<String, String> labels = Map.of("foo", "bar", "baz", "blah");

        assertThat(LabelSelector.parse("foo=bar,baz=blah").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("foo=bar,baz!=blah").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("foo=bar,foobar=bar,baz=blah").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("foo in (bar,x),!missing,baz notin (x),foo").matches(labels)).isTrue();
    }

    @Test
    void nullLabelsAreNoLabels() {
        assertThat(LabelSelector.parse("a!=b,!c").matches(null)).isTrue();
        assertThat(LabelSelector.parse("a").matches(null)).isFalse();
        assertThat(LabelSelector.everything().matches(null)).isTrue();
    }

    @Test
    void aLabelWithANullValueIsPresentAndEmpty() {
        Map<String, String> labels = new HashMap<>();
        labels.put("a", null);

        assertThat(LabelSelector.parse("a").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("a=").matches(labels)).isTrue();
    }

    @Test
    void nothingMatchesNothing() {
        assertThat(LabelSelector.nothing().matches(Map.of("a", "b"))).isFalse();
        assertThat(LabelSelector.nothing().matches(null)).isFalse();
        assertThat(LabelSelector.nothing().isEmpty()).isFalse();
        assertThat(LabelSelector.nothing().matchesNothing()).isTrue();
        assertThat(LabelSelector.nothing()).hasToString("");
        assertThat(LabelSelector.everything().matchesNothing()).isFalse();
    }

    @Test
    void fromSetRequiresEveryLabel() {
        LabelSelector selector = LabelSelector.fromSet(Map.of("tier", "web", "app", "shop"));

        assertThat(selector).hasToString("app=shop,tier=web");
        assertThat(selector.matches(Map.of("app", "shop", "tier", "web", "extra", "x"))).isTrue();
        assertThat(selector.matches(Map.of("app", "shop"))).isFalse();
        assertThat(LabelSelector.fromSet(null)).isEqualTo(LabelSelector.everything());
        assertThat(LabelSelector.fromSet(Map.of()).isEmpty()).isTrue();
    }
}
