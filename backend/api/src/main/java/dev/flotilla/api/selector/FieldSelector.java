package dev.flotilla.api.selector;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A Kubernetes field selector ({@code ?fieldSelector=}): an AND of {@code field=value},
 * {@code field==value} and {@code field!=value} terms, kept in upstream's order (terms sorted as
 * written). Which fields exist depends on the kind; see {@link #validateFields(Set)}. Immutable.
 */
public final class FieldSelector {

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    /** The fields every kind without its own field-label list supports. */
    public static final Set<String> METADATA_FIELDS = Set.of("metadata.name", "metadata.namespace");

    private final List<FieldRequirement> requirements;

    private FieldSelector(List<FieldRequirement> requirements) {
        this.requirements = requirements;
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses a field selector; {@code null} or empty selects everything. Values may escape
     * {@code \,}, {@code \=} and {@code \\}; whitespace is not trimmed (as upstream).
     *
     * @throws SelectorParseException with upstream's message for a term without operator or a bad escape
     */
    public static FieldSelector parse(String selector) {
        List<FieldRequirement> requirements = FieldSelectorParser.parse(selector == null ? "" : selector);
        return requirements.isEmpty() ? EVERYTHING : new FieldSelector(List.copyOf(requirements));
    }

    /**
     * Whether the object is selected; {@code fieldValue} answers the object's value for a field path,
     * {@code null} (unsupported or unset) counting as the empty string.
     */
    public boolean matches(Function<String, String> fieldValue) {
        for (FieldRequirement requirement : requirements) {
            if (!requirement.matches(fieldValue)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    public List<FieldRequirement> requirements() {
        return requirements;
    }

    /**
     * Rejects the first field not in {@code supported} with {@code field label not supported: <field>},
     * the message of kinds that declare their own field labels (Pods, Nodes, Events, Secrets, ...,
     * and custom resources).
     *
     * @throws SelectorParseException naming the first unsupported field
     */
    public void validateFields(Set<String> supported) {
        for (FieldRequirement requirement : requirements) {
            if (!supported.contains(requirement.field())) {
                throw new SelectorParseException("field label not supported: " + requirement.field());
            }
        }
    }

    /**
     * Rejects fields other than {@link #METADATA_FIELDS} with upstream's default message
     * {@code "<field>" is not a known field selector: only "metadata.name", "metadata.namespace"},
     * the message of built-in kinds that declare no field labels of their own (e.g. Deployments,
     * ConfigMaps).
     *
     * @throws SelectorParseException naming the first unsupported field
     */
    public void validateMetadataFields() {
        for (FieldRequirement requirement : requirements) {
            if (!METADATA_FIELDS.contains(requirement.field())) {
                throw new SelectorParseException(GoFormat.quote(requirement.field())
                        + " is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
            }
        }
    }

    /** The canonical form, e.g. {@code metadata.name=a,status.phase!=Running}; empty for everything. */
    @Override
    public String toString() {
        return requirements.stream().map(FieldRequirement::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldSelector that && requirements.equals(that.requirements);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requirements);
    }
}
