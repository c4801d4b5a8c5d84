package dev.flotilla.api.selector;

import java.util.Objects;
import java.util.function.Function;

/**
 * One term of a field selector: {@code field=value} ({@link Operator#EQUALS}, also what {@code ==}
 * parses to) or {@code field!=value} ({@link Operator#NOT_EQUALS}). The value is unescaped.
 */
public record FieldRequirement(String field, Operator operator, String value) {

    public FieldRequirement {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        if (operator != Operator.EQUALS && operator != Operator.NOT_EQUALS) {
            throw new IllegalArgumentException("field selectors support only = and !=, not " + operator);
        }
    }

    /**
     * Whether the object's value for the field ({@code null}, like a missing field, counts as the
     * empty string, as upstream's {@code fields.Set.Get}) satisfies this term.
     */
    public boolean matches(Function<String, String> fieldValue) {
        String actual = Objects.requireNonNullElse(fieldValue.apply(field), "");
        return (operator == Operator.EQUALS) == actual.equals(value);
    }

    /** {@code field=value} or {@code field!=value} with the value escaped. */
    @Override
    public String toString() {
        return field + (operator == Operator.EQUALS ? "=" : "!=") + FieldValueEscaping.escape(value);
    }
}
