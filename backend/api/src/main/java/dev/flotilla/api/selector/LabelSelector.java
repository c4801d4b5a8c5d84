package dev.flotilla.api.selector;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector: an AND of {@link LabelRequirement}s kept sorted by key, like upstream's
 * {@code labels.Selector}. Comes from the query syntax ({@code ?labelSelector=}), from the structured
 * {@code metav1.LabelSelector} of Deployments and friends, or from a plain label map. Immutable.
 *
 * <p>{@link #everything()} (no requirements) matches every object; {@link #nothing()} matches none
 * and is what a {@code null} structured selector means.
 */
public final class LabelSelector {

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

    private final List<LabelRequirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<LabelRequirement> requirements, boolean nothing) {
        this.requirements = requirements;
        this.nothing = nothing;
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    public static LabelSelector nothing() {
        return NOTHING;
    }

    /** The requirements ANDed, sorted by key (stable, so equal keys keep their order). */
    public static LabelSelector of(Collection<LabelRequirement> requirements) {
        if (requirements.isEmpty()) {
            return EVERYTHING;
        }
        List<LabelRequirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(LabelRequirement::key));
        return new LabelSelector(List.copyOf(sorted), false);
    }

    public static LabelSelector of(LabelRequirement... requirements) {
        return of(List.of(requirements));
    }

    /**
     * Parses the query-string syntax ({@code a=b,c!=d,e in (f,g),!h,i>1}); {@code null} or blank
     * selects everything.
     *
     * @throws SelectorParseException with upstream's message if the syntax, a key or a value is invalid
     */
    public static LabelSelector parse(String selector) {
        return of(LabelSelectorParser.parse(selector == null ? "" : selector));
    }

    /**
     * Every label in the map must be present with that value (upstream {@code ValidatedSelectorFromSet});
     * {@code null} or empty selects everything. This is the form of a Service's {@code spec.selector}.
     */
    public static LabelSelector fromSet(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return EVERYTHING;
        }
        return of(equalityRequirements(labels));
    }

    /**
     * Upstream {@code metav1.LabelSelectorAsSelector}: {@code null} selects nothing, a selector
     * without labels and expressions selects everything.
     *
     * @throws SelectorParseException for an invalid key, value or operator
     */
    public static LabelSelector fromMetaV1(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        if (selector == null) {
            return NOTHING;
        }
        return fromMetaV1(selector.getMatchLabels(), selector.getMatchExpressions());
    }

    /**
     * The structured form's two halves; {@code null} stands for an empty map or list (so both null
     * selects everything). Expression operators are {@code In}, {@code NotIn}, {@code Exists} and
     * {@code DoesNotExist}.
     */
    public static LabelSelector fromMetaV1(Map<String, String> matchLabels, List<LabelSelectorRequirement> matchExpressions) {
        Map<String, String> labels = matchLabels == null ? Map.of() : matchLabels;
        List<LabelSelectorRequirement> expressions = matchExpressions == null ? List.of() : matchExpressions;
        if (labels.isEmpty() && expressions.isEmpty()) {
            return EVERYTHING;
        }
        List<LabelRequirement> requirements = equalityRequirements(labels);
        for (LabelSelectorRequirement expression : expressions) {
            List<String> values = expression.getValues() == null ? List.of() : expression.getValues();
            requirements.add(new LabelRequirement(Objects.requireNonNullElse(expression.getKey(), ""),
                    metaV1Operator(expression.getOperator()), values));
        }
        return of(requirements);
    }

    private static List<LabelRequirement> equalityRequirements(Map<String, String> labels) {
        List<LabelRequirement> requirements = new ArrayList<>();
        new TreeMap<>(labels).forEach((key, value) -> requirements.add(
                new LabelRequirement(key, Operator.EQUALS, List.of(Objects.requireNonNullElse(value, "")))));
        return requirements;
    }

    private static Operator metaV1Operator(String operator) {
        String name = Objects.requireNonNullElse(operator, "");
        return switch (name) {
            case "In" -> Operator.IN;
            case "NotIn" -> Operator.NOT_IN;
            case "Exists" -> Operator.EXISTS;
            case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
            default -> throw new SelectorParseException(GoFormat.quote(name) + " is not a valid label selector operator");
        };
    }

    /** Whether an object with these labels ({@code null} = none) is selected. */
    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        for (LabelRequirement requirement : requirements) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** True if this selector does not restrict anything (false for {@link #nothing()}). */
    public boolean isEmpty() {
        return !nothing && requirements.isEmpty();
    }

    /** True only for {@link #nothing()}. */
    public boolean matchesNothing() {
        return nothing;
    }

    /** The requirements, sorted by key; empty for both {@link #everything()} and {@link #nothing()}. */
    public List<LabelRequirement> requirements() {
        return requirements;
    }

    /** The canonical query form, e.g. {@code a=b,c in (x,y),!d}; empty for everything and nothing. */
    @Override
    public String toString() {
        return requirements.stream().map(LabelRequirement::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LabelSelector that && nothing == that.nothing && requirements.equals(that.requirements);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requirements, nothing);
    }
}
