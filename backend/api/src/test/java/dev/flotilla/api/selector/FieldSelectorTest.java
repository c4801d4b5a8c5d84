package dev.flotilla.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldSelectorTest {

    private static final Map<String, String> POD = Map.of(
            "metadata.name", "web-1",
            "metadata.namespace", "shop",
            "status.phase", "Running",
            "spec.nodeName", "");

    @ParameterizedTest
    @ValueSource(strings = {"", ",", ",,"})
    void emptySelectsEverything(String selector) {
        FieldSelector parsed = FieldSelector.parse(selector);

        assertThat(parsed.isEmpty()).isTrue();
        assertThat(parsed.matches(POD::get)).isTrue();
        assertThat(parsed).hasToString("").isEqualTo(FieldSelector.everything());
    }

    @Test
    void nullSelectsEverything() {
        assertThat(FieldSelector.parse(null)).isEqualTo(FieldSelector.everything());
    }

    @Test
    void parsesEachOperator() {
        assertThat(FieldSelector.parse("a=b").requirements()).containsExactly(new FieldRequirement("a", Operator.EQUALS, "b"));
        assertThat(FieldSelector.parse("a==b").requirements()).containsExactly(new FieldRequirement("a", Operator.EQUALS, "b"));
        assertThat(FieldSelector.parse("a!=b").requirements())
                .containsExactly(new FieldRequirement("a", Operator.NOT_EQUALS, "b"));
        assertThat(FieldSelector.parse("a=").requirements()).containsExactly(new FieldRequirement("a", Operator.EQUALS, ""));
    }

    static Stream<Arguments> canonicalForms() {
        return Stream.of(
                Arguments.of("x=a,y=b,z=c", "x=a,y=b,z=c"),
                Arguments.of("x!=a,y=b", "x!=a,y=b"),
                Arguments.of("x==a", "x=a"),
                Arguments.of("x=a,a=x", "a=x,x=a"),
                Arguments.of("x=a,,y=b,", "x=a,y=b"),
                Arguments.of("x=a||y\\=b", "x=a||y\\=b"),
                Arguments.of("x=a\\=\\=b", "x=a\\=\\=b"),
                Arguments.of("k=\\,,k2=v2", "k2=v2,k=\\,"),
                Arguments.of("함=수,목=록", "목=록,함=수"));
    }

    @ParameterizedTest
    @MethodSource("canonicalForms")
    void rendersTheCanonicalForm(String selector, String canonical) {
        FieldSelector parsed = FieldSelector.parse(selector);

        assertThat(parsed).hasToString(canonical);
        assertThat(FieldSelector.parse(canonical)).isEqualTo(parsed);
    }

    @Test
    void unescapesValues() {
        assertThat(FieldSelector.parse("k=a\\,b\\=c\\\\d").requirements().get(0).value()).isEqualTo("a,b=c\\d");
        assertThat(FieldSelector.parse("k=\\\\,k2=v2").requirements()).extracting(FieldRequirement::value)
                .containsExactly("v2", "\\"); // terms are sorted: "k2=v2" < "k=\\\\"
    }

    @Test
    void doesNotTrimWhitespace() {
        assertThat(FieldSelector.parse(" a = b").requirements()).containsExactly(new FieldRequirement(" a ", Operator.EQUALS, " b"));
    }

    @Test
    void matchesEqualityAndInequality() {
        assertThat(FieldSelector.parse("metadata.name=web-1").matches(POD::get)).isTrue();
        assertThat(FieldSelector.parse("metadata.name==web-2").matches(POD::get)).isFalse();
        assertThat(FieldSelector.parse("status.phase!=Pending").matches(POD::get)).isTrue();
        assertThat(FieldSelector.parse("status.phase!=Running").matches(POD::get)).isFalse();
        assertThat(FieldSelector.parse("metadata.name=web-1,status.phase=Running").matches(POD::get)).isTrue();
        assertThat(FieldSelector.parse("metadata.name=web-1,status.phase=Failed").matches(POD::get)).isFalse();
    }

    @Test
    void aMissingFieldCountsAsEmpty() {
        assertThat(FieldSelector.parse("spec.nodeName=").matches(POD::get)).isTrue();
        assertThat(FieldSelector.parse("status.podIP=").matches(POD::get)).isTrue();
        assertThat(FieldSelector.parse("status.podIP!=10.0.0.1").matches(POD::get)).isTrue();
        assertThat(FieldSelector.parse("status.podIP=10.0.0.1").matches(POD::get)).isFalse();
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("x", "invalid selector: 'x'; can't understand 'x'"),
                Arguments.of("x in (a)", "invalid selector: 'x in (a)'; can't understand 'x in (a)'"),
                Arguments.of("x=a,b", "invalid selector: 'x=a,b'; can't understand 'b'"),
                Arguments.of("x!a", "invalid selector: 'x!a'; can't understand 'x!a'"),
                Arguments.of("x==a==b", "invalid field selector: unescaped character in value: 61"),
                Arguments.of("x=a||y=b", "invalid field selector: unescaped character in value: 61"),
                Arguments.of("k=\\a", "invalid field selector: invalid escape sequence: \\a"),
                Arguments.of("k=\\", "invalid field selector: invalid escape sequence: \\"),
                Arguments.of("k=\\\\\\", "invalid field selector: invalid escape sequence: \\"));
    }

    @ParameterizedTest
    @MethodSource("syntaxErrors")
    void rejectsBadSyntaxWithUpstreamMessages(String selector, String message) {
        assertThatThrownBy(() -> FieldSelector.parse(selector))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage(message);
    }

    @Test
    void validatesFieldsAgainstAKindsOwnList() {
        Set<String> podFields = Set.of("metadata.name", "metadata.namespace", "status.phase", "spec.nodeName");

        FieldSelector.parse("status.phase=Running,spec.nodeName=n1").validateFields(podFields);
        FieldSelector.everything().validateFields(Set.of());
        assertThatThrownBy(() -> FieldSelector.parse("status.phase=Running,spec.foo=x,zzz=1").validateFields(podFields))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage("field label not supported: spec.foo");
    }

    @Test
    void validatesFieldsAgainstTheMetadataDefault() {
        FieldSelector.parse("metadata.name=a,metadata.namespace!=b").validateMetadataFields();
        assertThatThrownBy(() -> FieldSelector.parse("metadata.name=a,spec.replicas=1").validateMetadataFields())
                .isInstanceOf(SelectorParseException.class)
                .hasMessage("\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
        assertThatThrownBy(() -> FieldSelector.parse("=x").validateMetadataFields())
                .hasMessage("\"\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
    }
}
