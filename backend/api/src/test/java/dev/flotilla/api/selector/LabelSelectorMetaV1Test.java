package dev.flotilla.api.selector;

import static dev.flotilla.api.selector.Messages.NAME_PART;
import static dev.flotilla.api.selector.Messages.VALUE_REGEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorMetaV1Test {

    private static LabelSelectorRequirement expression(String key, String operator, String... values) {
        return new LabelSelectorRequirementBuilder().withKey(key).withOperator(operator).withValues(values).build();
    }

    @Test
    void nullSelectorSelectsNothing() {
        LabelSelector selector = LabelSelector.fromMetaV1(null);

        assertThat(selector).isEqualTo(LabelSelector.nothing());
        assertThat(selector.matches(Map.of())).isFalse();
        assertThat(selector.isEmpty()).isFalse();
    }

    @Test
    void emptySelectorSelectsEverything() {
        assertThat(LabelSelector.fromMetaV1(new io.fabric8.kubernetes.api.model.LabelSelector()))
                .isEqualTo(LabelSelector.everything());
        assertThat(LabelSelector.fromMetaV1(new LabelSelectorBuilder().build()).matches(Map.of("a", "b"))).isTrue();
        assertThat(LabelSelector.fromMetaV1(null, null)).isEqualTo(LabelSelector.everything());
        assertThat(LabelSelector.fromMetaV1(Map.of(), List.of()).isEmpty()).isTrue();
    }

    @Test
    void combinesMatchLabelsAndExpressionsSortedByKey() {
        io.fabric8.kubernetes.api.model.LabelSelector structured = new LabelSelectorBuilder()
                .addToMatchLabels("tier", "frontend")
                .addToMatchLabels("app", "shop")
                .addToMatchExpressions(expression("env", "In", "staging", "prod"))
                .addToMatchExpressions(expression("canary", "DoesNotExist"))
                .addToMatchExpressions(expression("zone", "NotIn", "b"))
                .addToMatchExpressions(expression("owner", "Exists"))
                .build();

        LabelSelector selector = LabelSelector.fromMetaV1(structured);

        assertThat(selector).hasToString("app=shop,!canary,env in (prod,staging),owner,tier=frontend,zone notin (b)");
        assertThat(selector.requirements()).extracting(LabelRequirement::operator).containsExactly(
                Operator.EQUALS, Operator.DOES_NOT_EXIST, Operator.IN, Operator.EXISTS, Operator.EQUALS,
                Operator.NOT_IN);
        assertThat(selector.matches(Map.of("app", "shop", "tier", "frontend", "env", "prod", "owner", "me")))
                .isTrue();
        assertThat(selector.matches(Map.of("app", "shop", "tier", "frontend", "env", "prod", "owner", "me",
                "zone", "b"))).isFalse();
        assertThat(selector.matches(Map.of("app", "shop", "tier", "frontend", "env", "dev", "owner", "me")))
                .isFalse();
    }

    @Test
    void keepsValuesAsGivenButRendersThemSorted() {
        LabelSelector selector = LabelSelector.fromMetaV1(null, List.of(expression("env", "In", "b", "a")));

        assertThat(selector.requirements().get(0).values()).containsExactly("b", "a");
        assertThat(selector).hasToString("env in (a,b)");
    }

    @Test
    void rejectsUnknownOperators() {
        assertThatThrownBy(() -> LabelSelector.fromMetaV1(null, List.of(expression("a", "Gt", "1"))))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage("\"Gt\" is not a valid label selector operator");
        assertThatThrownBy(() -> LabelSelector.fromMetaV1(null, List.of(expression("a", "in", "x"))))
                .hasMessage("\"in\" is not a valid label selector operator");
        assertThatThrownBy(() -> LabelSelector.fromMetaV1(null, List.of(new LabelSelectorRequirement("a", null, null))))
                .hasMessage("\"\" is not a valid label selector operator");
    }

    @Test
    void rejectsBadValueCounts() {
        assertThatThrownBy(() -> LabelSelector.fromMetaV1(null, List.of(expression("a", "In"))))
                .hasMessage("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
        assertThatThrownBy(() -> LabelSelector.fromMetaV1(null, List.of(expression("a", "Exists", "x"))))
                .hasMessage("values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist");
    }

    @Test
    void rejectsInvalidKeysAndValues() {
        assertThatThrownBy(() -> LabelSelector.fromMetaV1(Map.of("app", "no space"), null))
                .hasMessage("values[0][app]: Invalid value: \"no space\": " + VALUE_REGEX);
        assertThatThrownBy(() -> LabelSelector.fromMetaV1(Map.of("-app", "x"), null))
                .hasMessage("key: Invalid value: \"-app\": " + NAME_PART);
        assertThatThrownBy(() -> LabelSelector.fromMetaV1(null, List.of(expression("app", "NotIn", "ok", "bad!"))))
                .hasMessage("values[1][app]: Invalid value: \"bad!\": " + VALUE_REGEX);
        assertThatThrownBy(() -> LabelSelector.fromMetaV1(null, List.of(new LabelSelectorRequirement(null, "Exists", null))))
                .hasMessage("key: Invalid value: \"\": name part must be non-empty; " + NAME_PART);
    }
}
