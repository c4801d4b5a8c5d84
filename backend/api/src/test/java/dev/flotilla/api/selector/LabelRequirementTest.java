package dev.flotilla.api.selector;

import static dev.flotilla.api.selector.Messages.NAME_PART;
import static dev.flotilla.api.selector.Messages.NOT_AN_INTEGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelRequirementTest {

    @Test
    void rendersEachOperator() {
        assertThat(LabelRequirement.of("a", Operator.EQUALS, "b")).hasToString("a=b");
        assertThat(LabelRequirement.of("a", Operator.DOUBLE_EQUALS, "b")).hasToString("a==b");
        assertThat(LabelRequirement.of("a", Operator.NOT_EQUALS, "b")).hasToString("a!=b");
        assertThat(LabelRequirement.of("a", Operator.IN, "y", "x")).hasToString("a in (x,y)");
        assertThat(LabelRequirement.of("a", Operator.NOT_IN, "x")).hasToString("a notin (x)");
        assertThat(LabelRequirement.of("a", Operator.EXISTS)).hasToString("a");
        assertThat(LabelRequirement.of("a", Operator.DOES_NOT_EXIST)).hasToString("!a");
        assertThat(LabelRequirement.of("a", Operator.GREATER_THAN, "1")).hasToString("a>1");
        assertThat(LabelRequirement.of("a", Operator.LESS_THAN, "1")).hasToString("a<1");
    }

    @Test
    void validatesValueCountsLikeNewRequirement() {
        assertThatThrownBy(() -> LabelRequirement.of("a", Operator.EQUALS, "x", "y"))
                .hasMessage("values: Invalid value: []string{\"x\", \"y\"}: exact-match compatibility requires one single value");
        assertThatThrownBy(() -> LabelRequirement.of("a", Operator.NOT_EQUALS))
                .hasMessage("values: Invalid value: []string(nil): exact-match compatibility requires one single value");
        assertThatThrownBy(() -> LabelRequirement.of("a", Operator.GREATER_THAN, "1", "2"))
                .hasMessage("values: Invalid value: []string{\"1\", \"2\"}: for 'Gt', 'Lt' operators, exactly one value is required");
        assertThatThrownBy(() -> LabelRequirement.of("a", Operator.LESS_THAN, "+x"))
                .hasMessageStartingWith("[values[0]: Invalid value: \"+x\": " + NOT_AN_INTEGER + ", values[0][a]:");
    }

    @Test
    void reportsKeyAndValueErrorsTogether() {
        assertThatThrownBy(() -> LabelRequirement.of("a b", Operator.NOT_IN))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage("[key: Invalid value: \"a b\": " + NAME_PART
                        + ", values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty]");
    }

    @Test
    void parsesIntegersLikeGo() {
        assertThat(LabelRequirement.parseInt64("42")).hasValue(42);
        assertThat(LabelRequirement.parseInt64("-42")).hasValue(-42);
        assertThat(LabelRequirement.parseInt64("+7")).hasValue(7);
        assertThat(LabelRequirement.parseInt64("9223372036854775807")).hasValue(Long.MAX_VALUE);
        assertThat(LabelRequirement.parseInt64("9223372036854775808")).isEmpty();
        assertThat(LabelRequirement.parseInt64("")).isEmpty();
        assertThat(LabelRequirement.parseInt64("-")).isEmpty();
        assertThat(LabelRequirement.parseInt64("1_000")).isEmpty();
        assertThat(LabelRequirement.parseInt64("\u0661")).isEmpty(); // Arabic-Indic one: Java would accept it
    }

    @Test
    void valuesAreCopied() {
        List<String> values = new java.util.ArrayList<>(List.of("x"));
        LabelRequirement requirement = new LabelRequirement("a", Operator.IN, values);
        values.add("y");

        assertThat(requirement.values()).containsExactly("x");
    }
}
