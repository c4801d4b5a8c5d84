package dev.flotilla.api.selector;

import static dev.flotilla.api.selector.Messages.NAME_PART;
import static dev.flotilla.api.selector.Messages.NOT_AN_INTEGER;
import static dev.flotilla.api.selector.Messages.PREFIX_PART;
import static dev.flotilla.api.selector.Messages.VALUE_REGEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorParseTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "\t\n"})
    void emptyOrBlankSelectsEverything(String selector) {
        LabelSelector parsed = LabelSelector.parse(selector);

        assertThat(parsed.isEmpty()).isTrue();
        assertThat(parsed.requirements()).isEmpty();
        assertThat(parsed).hasToString("").isEqualTo(LabelSelector.everything());
    }

    @Test
    void nullSelectsEverything() {
        assertThat(LabelSelector.parse(null)).isEqualTo(LabelSelector.everything());
    }

    static Stream<Arguments> canonicalForms() {
        return Stream.of(
                Arguments.of("x=a,y=b,z=c", "x=a,y=b,z=c"),
                Arguments.of("x!=a,y=b", "x!=a,y=b"),
                Arguments.of("x=", "x="),
                Arguments.of("x= ", "x="),
                Arguments.of("x= ,z= ", "x=,z="),
                Arguments.of("!x", "!x"),
                Arguments.of("x>1,z<5", "x>1,z<5"),
                Arguments.of("x==a", "x==a"),
                Arguments.of("a in (x,y)", "a in (x,y)"),
                Arguments.of("a notin (y, x)", "a notin (x,y)"),
                Arguments.of("a,b", "a,b"),
                Arguments.of("example.com/app=web", "example.com/app=web"),
                Arguments.of("x in ()", "x in ()"),
                Arguments.of("x in (,a)", "x in (,a)"));
    }

    @ParameterizedTest
    @MethodSource("canonicalForms")
    void rendersTheCanonicalForm(String selector, String canonical) {
        LabelSelector parsed = LabelSelector.parse(selector);

        assertThat(parsed).hasToString(canonical);
        assertThat(LabelSelector.parse(canonical)).isEqualTo(parsed);
    }

    static Stream<Arguments> operators() {
        return Stream.of(
                Arguments.of("a=b", Operator.EQUALS, List.of("b")),
                Arguments.of("a==b", Operator.DOUBLE_EQUALS, List.of("b")),
                Arguments.of("a!=b", Operator.NOT_EQUALS, List.of("b")),
                Arguments.of("a in (y,x)", Operator.IN, List.of("x", "y")),
                Arguments.of("a notin (x)", Operator.NOT_IN, List.of("x")),
                Arguments.of("a", Operator.EXISTS, List.of()),
                Arguments.of("!a", Operator.DOES_NOT_EXIST, List.of()),
                Arguments.of("a>1", Operator.GREATER_THAN, List.of("1")),
                Arguments.of("a<10", Operator.LESS_THAN, List.of("10")),
                Arguments.of("a=", Operator.EQUALS, List.of("")));
    }

    @ParameterizedTest
    @MethodSource("operators")
    void parsesEveryOperator(String selector, Operator operator, List<String> values) {
        assertThat(LabelSelector.parse(selector).requirements())
                .containsExactly(new LabelRequirement("a", operator, values));
    }

    @Test
    void toleratesWhitespaceEverywhere() {
        LabelSelector parsed = LabelSelector.parse("  tier = web ,\tenv  in  ( prod ,  dev )\n, ! gone , x!=y ");

        assertThat(parsed).hasToString("env in (dev,prod),!gone,tier=web,x!=y");
    }

    @Test
    void sortsRequirementsByKeyAndValuesInSets() {
        assertThat(LabelSelector.parse("z=1,a=2,m in (c,b,a,b)")).hasToString("a=2,m in (a,b,c),z=1");
        assertThat(LabelSelector.parse("x=a,a=x")).isEqualTo(LabelSelector.parse("a=x,x=a"));
    }

    @Test
    void keepsRequirementsOnTheSameKeyInInputOrder() {
        assertThat(LabelSelector.parse("a!=x,b,a!=y")).hasToString("a!=x,a!=y,b");
    }

    @Test
    void inAndNotinAreKeywordsOnlyInOperatorPosition() {
        assertThat(LabelSelector.parse("notin=in").requirements())
                .containsExactly(LabelRequirement.of("notin", Operator.EQUALS, "in"));
        assertThat(LabelSelector.parse("in in (in,notin)").requirements())
                .containsExactly(LabelRequirement.of("in", Operator.IN, "in", "notin"));
    }

    @Test
    void emptyEntriesInAValueSetMeanTheEmptyValue() {
        assertThat(LabelSelector.parse("x in (a,,b)").requirements().get(0).values()).containsExactly("", "a", "b");
        assertThat(LabelSelector.parse("x in (a,)").requirements().get(0).values()).containsExactly("", "a");
        assertThat(LabelSelector.parse("x notin ()").requirements().get(0).values()).containsExactly("");
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("x==a==b", "found '==', expected: ',' or 'end of string'"),
                Arguments.of("!x=a", "found '=', expected: ',' or 'end of string'"),
                Arguments.of("x=a b", "found 'b', expected: ',' or 'end of string'"),
                Arguments.of("x=a,", "found '', expected: identifier after ','"),
                Arguments.of("x=a,,y", "found ',', expected: identifier after ','"),
                Arguments.of(",x", "found ',', expected: !, identifier, or 'end of string'"),
                Arguments.of("=x", "found '=', expected: !, identifier, or 'end of string'"),
                Arguments.of("!", "unable to parse requirement: found '', expected: identifier"),
                Arguments.of("!!x", "unable to parse requirement: found '!', expected: identifier"),
                Arguments.of("x y", "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"),
                Arguments.of("x!y", "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"),
                Arguments.of("x in a", "unable to parse requirement: found 'a' expected: '('"),
                Arguments.of("x in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
                Arguments.of("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
                Arguments.of("x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
                Arguments.of("x in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
                Arguments.of("x=(a)", "unable to parse requirement: found '(', expected: identifier"));
    }

    @ParameterizedTest
    @MethodSource("syntaxErrors")
    void rejectsBadSyntaxWithUpstreamMessages(String selector, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsInvalidKeysAgainstUpstreamsNilPath() {
        assertThatThrownBy(() -> LabelSelector.parse("k@y=v"))
                .hasMessage("unable to parse requirement: <nil>: Invalid value: \"k@y\": " + NAME_PART);
        assertThatThrownBy(() -> LabelSelector.parse("Bad.Prefix/app"))
                .hasMessage("unable to parse requirement: <nil>: Invalid value: \"Bad.Prefix/app\": " + PREFIX_PART);
        assertThatThrownBy(() -> LabelSelector.parse("!" + "k".repeat(64)))
                .hasMessage("unable to parse requirement: <nil>: Invalid value: \"" + "k".repeat(64)
                        + "\": name part must be no more than 63 characters");
        assertThatThrownBy(() -> LabelSelector.parse("app/"))
                .hasMessage("unable to parse requirement: <nil>: Invalid value: \"app/\": name part must be non-empty; "
                        + NAME_PART);
    }

    @Test
    void rejectsInvalidValues() {
        assertThatThrownBy(() -> LabelSelector.parse("x=a||y=b"))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage("unable to parse requirement: values[0][x]: Invalid value: \"a||y\": " + VALUE_REGEX);
        assertThatThrownBy(() -> LabelSelector.parse("app in (ok,-bad)"))
                .hasMessage("unable to parse requirement: values[0][app]: Invalid value: \"-bad\": " + VALUE_REGEX);
        assertThatThrownBy(() -> LabelSelector.parse("x=" + "v".repeat(64)))
                .hasMessage("unable to parse requirement: values[0][x]: Invalid value: \"" + "v".repeat(64)
                        + "\": must be no more than 63 characters");
    }

    @Test
    void gtAndLtNeedIntegers() {
        assertThatThrownBy(() -> LabelSelector.parse("x<a"))
                .hasMessage("unable to parse requirement: values[0]: Invalid value: \"a\": " + NOT_AN_INTEGER);
        assertThatThrownBy(() -> LabelSelector.parse("x>"))
                .hasMessage("unable to parse requirement: values[0]: Invalid value: \"\": " + NOT_AN_INTEGER);
        assertThatThrownBy(() -> LabelSelector.parse("x>99999999999999999999"))
                .hasMessage("unable to parse requirement: values[0]: Invalid value: \"99999999999999999999\": "
                        + NOT_AN_INTEGER);
    }

    @Test
    void reportsSeveralProblemsOfOneRequirementTogether() {
        assertThatThrownBy(() -> LabelSelector.parse("x>a_"))
                .hasMessage("unable to parse requirement: [values[0]: Invalid value: \"a_\": " + NOT_AN_INTEGER
                        + ", values[0][x]: Invalid value: \"a_\": " + VALUE_REGEX + "]");
    }
}
