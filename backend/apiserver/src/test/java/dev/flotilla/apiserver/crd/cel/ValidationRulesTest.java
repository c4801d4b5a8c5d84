package dev.flotilla.apiserver.crd.cel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationRulesTest {

    private static final String PATH = "spec.versions[0].schema.openAPIV3Schema";

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SchemaRules rules(String schema) {
        return rules(schema, RuleLimits.UPSTREAM);
    }

    private static SchemaRules rules(String schema, RuleLimits limits) {
        RuleCompiler.Compilation compilation = RuleCompiler.compile(json(schema), PATH, limits);
        assertThat(compilation.errors()).isEmpty();
        return compilation.rules();
    }

    private static List<String> errors(SchemaRules rules, String object, String old) {
        return rules.validate(json(object), old == null ? null : json(old)).stream().map(FieldError::toString)
                .toList();
    }

    private static List<String> compileErrors(String schema) {
        return RuleCompiler.compile(json(schema), PATH, RuleLimits.UPSTREAM).errors().stream()
                .map(FieldError::toString).toList();
    }

    private static final String SPEC = """
            {"type": "object", "properties": {"spec": {"type": "object",
              "x-kubernetes-validations": [%s],
              "properties": {"replicas": {"type": "integer"}, "name": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "max-size": {"type": "integer"}, "port": {"x-kubernetes-int-or-string": true}}}}}
            """;

    private static SchemaRules spec(String validations) {
        return rules(SPEC.formatted(validations));
    }

    @Test
    void aRuleThatHoldsGivesNoError() {
        SchemaRules rules = spec("""
                {"rule": "self.replicas >= 1 && self.name.startsWith('w') && self.name.matches('^[a-z]+$')"},
                {"rule": "self.tags.all(t, t.size() < 5) && self.tags.exists(t, t == 'a') && self.tags.isSorted()"},
                {"rule": "has(self.labels) && self.labels['app'] == 'web' && self.max__dash__size == 3"},
                {"rule": "self.tags.map(t, t + '!').filter(t, t.endsWith('!')).size() == 2"},
                {"rule": "!has(self.port) || self.name.contains('e')"}
                """);
        assertThat(errors(rules, """
                {"spec": {"replicas": 2, "name": "web", "tags": ["a", "b"], "labels": {"app": "web"}, "max-size": 3}}
                """, null)).isEmpty();
    }

    @Test
    void aFailedRuleIsAnInvalidValueAtItsNodeWithTheDefaultMessage() {
        SchemaRules rules = spec("{\"rule\": \"self.replicas >= 1\"}, {\"rule\": \"self.tags.isSorted()\"}");
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 0, \"tags\": [\"b\", \"a\"]}}", null)).containsExactly(
                "spec: Invalid value: \"object\": failed rule: self.replicas >= 1",
                "spec: Invalid value: \"object\": failed rule: self.tags.isSorted()");
    }

    @Test
    void messageMessageExpressionReasonAndFieldPath() {
        SchemaRules rules = spec("""
                {"rule": "self.replicas >= 1", "message": "replicas must be positive"},
                {"rule": "self.replicas < 10", "messageExpression": "'too many: ' + string(self.replicas)"},
                {"rule": "self.name != 'x'", "reason": "FieldValueForbidden", "fieldPath": ".name",
                 "message": "x is taken"},
                {"rule": "has(self.tags)", "reason": "FieldValueRequired", "fieldPath": ".tags",
                 "message": "tags are needed"},
                {"rule": "self.replicas != 0", "messageExpression": "1/0 == 0 ? 'a' : 'b'", "message": "fallback"}
                """);
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 0, \"name\": \"x\"}}", null)).containsExactly(
                "spec: Invalid value: \"object\": replicas must be positive",
                "spec.name: Forbidden: x is taken",
                "spec.tags: Required value: tags are needed",
                "spec: Invalid value: \"object\": fallback");
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 12, \"name\": \"y\", \"tags\": []}}", null))
                .containsExactly("spec: Invalid value: \"object\": too many: 12");
    }

    @Test
    void rulesOnScalarsRootAndItems() {
        SchemaRules rules = rules("""
                {"type": "object", "x-kubernetes-validations": [
                   {"rule": "self.metadata.name.startsWith('w')", "message": "name must start with w"},
                   {"rule": "self.kind == 'Widget'"}],
                 "properties": {"spec": {"type": "object", "properties": {
                   "size": {"type": "string", "x-kubernetes-validations": [{"rule": "self in ['s', 'm']"}]},
                   "items": {"type": "array", "items": {"type": "integer",
                             "x-kubernetes-validations": [{"rule": "self % 2 == 0", "message": "even"}]}}}}}}
                """);
        assertThat(errors(rules, """
                {"apiVersion": "x/v1", "kind": "Widget", "metadata": {"name": "a"},
                 "spec": {"size": "l", "items": [2, 3]}}
                """, null)).containsExactly(
                "<nil>: Invalid value: \"object\": name must start with w",
                "spec.size: Invalid value: \"string\": failed rule: self in ['s', 'm']",
                "spec.items[1]: Invalid value: \"integer\": even");
    }

    @Test
    void transitionRulesRunOnlyOnUpdate() {
        SchemaRules rules = rules("""
                {"type": "object", "properties": {"spec": {"type": "object", "properties": {
                  "replicas": {"type": "integer", "x-kubernetes-validations": [
                    {"rule": "self >= oldSelf", "message": "replicas may not decrease"}]},
                  "mode": {"type": "string", "x-kubernetes-validations": [
                    {"rule": "self == oldSelf", "message": "mode is immutable"}]}}}}}
                """);
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 1, \"mode\": \"a\"}}", null)).isEmpty();
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 3, \"mode\": \"a\"}}",
                "{\"spec\": {\"replicas\": 2, \"mode\": \"a\"}}")).isEmpty();
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 1, \"mode\": \"b\"}}",
                "{\"spec\": {\"replicas\": 2, \"mode\": \"a\"}}")).containsExactly(
                "spec.replicas: Invalid value: \"integer\": replicas may not decrease",
                "spec.mode: Invalid value: \"string\": mode is immutable");
        // no old value at that place: skipped
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 1}}", "{\"spec\": {}}")).isEmpty();
    }

    @Test
    void optionalOldSelfRunsOnCreateWithNoOldValue() {
        SchemaRules rules = rules("""
                {"type": "object", "properties": {"spec": {"type": "object", "properties": {
                  "replicas": {"type": "integer", "x-kubernetes-validations": [
                    {"rule": "oldSelf.hasValue() ? self >= oldSelf.value() : self <= 5", "optionalOldSelf": true,
                     "message": "start at most at 5, never decrease"}]}}}}}
                """);
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 6}}", null))
                .containsExactly("spec.replicas: Invalid value: \"integer\": start at most at 5, never decrease");
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 4}}", null)).isEmpty();
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 7}}", "{\"spec\": {\"replicas\": 6}}")).isEmpty();
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 5}}", "{\"spec\": {\"replicas\": 6}}")).hasSize(1);
    }

    @Test
    void mapListItemsCorrelateByKeyForOldSelf() {
        SchemaRules rules = rules("""
                {"type": "object", "properties": {"ports": {"type": "array", "x-kubernetes-list-type": "map",
                  "x-kubernetes-list-map-keys": ["name"], "items": {"type": "object",
                    "x-kubernetes-validations": [{"rule": "self.port == oldSelf.port", "message": "port is fixed"}],
                    "properties": {"name": {"type": "string"}, "port": {"type": "integer"}}}}}}
                """);
        assertThat(errors(rules, """
                {"ports": [{"name": "b", "port": 2}, {"name": "a", "port": 9}, {"name": "c", "port": 3}]}
                """, "{\"ports\": [{\"name\": \"a\", \"port\": 1}, {\"name\": \"b\", \"port\": 2}]}"))
                .containsExactly("ports[1]: Invalid value: \"object\": port is fixed");
    }

    @Test
    void anUnchangedValueIsNotCheckedAgainOnUpdate() {
        SchemaRules rules = spec("{\"rule\": \"self.replicas < 3\"}");
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 5}}", "{\"spec\": {\"replicas\": 5}}")).isEmpty();
        assertThat(errors(rules, "{\"spec\": {\"replicas\": 6}}", "{\"spec\": {\"replicas\": 5}}")).hasSize(1);
    }

    @Test
    void runtimeErrorsAreInvalidValues() {
        SchemaRules rules = spec("""
                {"rule": "self.labels['missing'] == 'x'"}, {"rule": "self.replicas / 0 == 1"},
                {"rule": "self.port > 1"}
                """);
        List<String> errors = errors(rules, "{\"spec\": {\"replicas\": 1, \"labels\": {}, \"port\": \"http\"}}", null);
        assertThat(errors).hasSize(3);
        assertThat(errors).allMatch(e -> e.startsWith("spec: Invalid value: \"object\": "));
        assertThat(errors.get(0)).contains("missing").endsWith(" evaluating rule: self.labels['missing'] == 'x'");
        assertThat(errors.get(1)).contains("by zero").endsWith(" evaluating rule: self.replicas / 0 == 1");
        assertThat(errors.get(2)).endsWith(" evaluating rule: self.port > 1");
    }

    @Test
    void aRuleOverTheCostLimitStopsValidation() {
        String schema = SPEC.formatted("""
                {"rule": "self.tags.all(a, self.tags.all(b, self.tags.all(c, a + b + c != '')))"},
                {"rule": "self.replicas > 100"}
                """);
        SchemaRules limited = rules(schema, new RuleLimits(5_000, 50_000));
        String object = "{\"spec\": {\"replicas\": 1, \"tags\": " + tags(20) + "}}";
        assertThat(errors(limited, object, null)).containsExactly("spec: Invalid value: \"object\": 'operation"
                + " cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost"
                + " exceeds limit for rule: self.tags.all(a, self.tags.all(b, self.tags.all(c, a + b + c != '')))");
        // Upstream's cost limits without a deadline: 20 tags (8,000 iterations) are fine, 200 (8 million) are not.
        SchemaRules upstream = rules(schema, new RuleLimits(1_000_000, 10_000_000, 600_000));
        assertThat(errors(upstream, object, null))
                .containsExactly("spec: Invalid value: \"object\": failed rule: self.replicas > 100");
        assertThat(errors(upstream, "{\"spec\": {\"replicas\": 1, \"tags\": " + tags(200) + "}}", null))
                .singleElement().asString().contains("call cost exceeds limit");
    }

    @Test
    void aRuleOverTheDeadlineStopsValidation() {
        String schema = SPEC.formatted("""
                {"rule": "self.tags.all(a, self.tags.all(b, self.tags.all(c, a + b + c != '')))"}
                """);
        SchemaRules rules = rules(schema, new RuleLimits(Long.MAX_VALUE, Long.MAX_VALUE, 200));
        long start = System.nanoTime();
        assertThat(errors(rules, "{\"spec\": {\"tags\": " + tags(1000) + "}}", null))
                .singleElement().asString().contains("call cost exceeds limit");
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    }

    @Test
    void theObjectBudgetIsSharedByAllRules() {
        SchemaRules rules = rules("""
                {"type": "object", "properties": {"a": {"type": "array", "items": {"type": "string",
                  "x-kubernetes-validations": [{"rule": "self.size() < 100"}]}}}}
                """, new RuleLimits(1_000, 50));
        assertThat(errors(rules, "{\"a\": " + tags(30) + "}", null)).containsExactly("a[" + (errorIndex()) + "]:"
                + " Invalid value: \"string\": validation failed due to running out of cost budget, no further"
                + " validation rules will be run");
    }

    private static int errorIndex() {
        // each rule costs 4 (self, size(), 100, <): the 13th evaluation (index 12) would exceed 50
        return 12;
    }

    private static String tags(int count) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        return text.append(']').toString();
    }

    @Test
    void rulesThatDoNotCompileAreErrorsAtTheirPlaceInTheCrd() {
        List<String> errors = compileErrors(SPEC.formatted("""
                {"rule": "self.nope > 1"}, {"rule": "self.replicas >"}, {"rule": "self.name"},
                {"rule": ""}, {"rule": "true", "reason": "Bad"},
                {"rule": "true", "messageExpression": "self.replicas"}, {"rule": "true", "message": "a\\nb"}
                """));
        String at = PATH + ".properties[spec].x-kubernetes-validations";
        assertThat(errors).hasSize(7);
        assertThat(errors.get(0)).isEqualTo(at + "[0].rule: Invalid value: \"self.nope > 1\": compilation failed:"
                + " ERROR: <input>:1:5: undefined field 'nope'\n | self.nope > 1\n | ....^");
        assertThat(errors.get(1)).startsWith(at + "[1].rule: Invalid value: \"self.replicas >\": compilation failed:"
                + " ERROR: <input>:1:16:");
        assertThat(errors.get(2)).startsWith(at + "[2].rule: Invalid value: \"self.name\": compilation failed:"
                + " ERROR: <input>:1:5: expected type 'bool' but found 'string'");
        assertThat(errors.get(3)).isEqualTo(at + "[3].rule: Required value");
        assertThat(errors.get(4)).isEqualTo(at + "[4].reason: Unsupported value: \"Bad\": supported values:"
                + " \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\"");
        assertThat(errors.get(5)).startsWith(at + "[5].messageExpression: Invalid value: \"self.replicas\":"
                + " messageExpression compilation failed: ERROR:");
        assertThat(errors.get(6)).isEqualTo(at + "[6].message: Invalid value: \"a\nb\": message must not contain"
                + " line breaks");
    }

    @Test
    void propertyNamesAreEscapedAndNestedObjectsTyped() {
        assertThat(compileErrors("""
                {"type": "object", "properties": {"spec": {"type": "object",
                  "x-kubernetes-validations": [{"rule": "self.inner.deep.missing == 1"}],
                  "properties": {"inner": {"type": "object", "properties": {"deep": {"type": "object",
                    "properties": {"x": {"type": "integer"}}}}}}}}}
                """)).singleElement().asString().contains("undefined field 'missing'");
        SchemaRules rules = rules("""
                {"type": "object", "properties": {"spec": {"type": "object",
                  "x-kubernetes-validations": [{"rule": "self.__namespace__ == 'a' && self.a__dot__b == 'c'"}],
                  "properties": {"namespace": {"type": "string"}, "a.b": {"type": "string"}}}}}
                """);
        assertThat(errors(rules, "{\"spec\": {\"namespace\": \"a\", \"a.b\": \"c\"}}", null)).isEmpty();
        assertThat(errors(rules, "{\"spec\": {\"namespace\": \"a\", \"a.b\": \"d\"}}", null)).hasSize(1);
    }
}
