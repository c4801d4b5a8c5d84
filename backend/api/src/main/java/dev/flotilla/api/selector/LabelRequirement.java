package dev.flotilla.api.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One term of a label selector: a key, an operator and its values (upstream {@code labels.Requirement}).
 * Construction validates like upstream's {@code NewRequirement} and throws
 * {@link SelectorParseException} with upstream's message, so every instance is valid.
 *
 * @param key a qualified name
 * @param operator any {@link Operator}
 * @param values as given (upstream keeps this order; only {@link #toString()} sorts)
 */
public record LabelRequirement(String key, Operator operator, List<String> values) {

    public LabelRequirement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        values = List.copyOf(values);
        List<String> errors = validate(key, operator, values);
        if (!errors.isEmpty()) {
            throw new SelectorParseException(GoFormat.aggregate(errors));
        }
    }

    public static LabelRequirement of(String key, Operator operator, String... values) {
        return new LabelRequirement(key, operator, List.of(values));
    }

    private static List<String> validate(String key, Operator operator, List<String> values) {
        List<String> errors = new ArrayList<>();
        List<String> keyErrors = LabelSyntax.qualifiedNameErrors(key);
        if (!keyErrors.isEmpty()) {
            errors.add(GoFormat.invalid("key", GoFormat.quote(key), String.join("; ", keyErrors)));
        }
        String slice = GoFormat.stringSlice(values);
        switch (operator) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    errors.add(GoFormat.invalid("values", slice, "for 'in', 'notin' operators, values set can't be empty"));
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) {
                    errors.add(GoFormat.invalid("values", slice, "exact-match compatibility requires one single value"));
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    errors.add(GoFormat.invalid("values", slice, "values set must be empty for exists and does not exist"));
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (values.size() != 1) {
                    errors.add(GoFormat.invalid("values", slice, "for 'Gt', 'Lt' operators, exactly one value is required"));
                }
                for (int i = 0; i < values.size(); i++) {
                    if (parseInt64(values.get(i)).isEmpty()) {
                        errors.add(GoFormat.invalid("values[" + i + "]", GoFormat.quote(values.get(i)),
                                "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }
            }
        }
        for (int i = 0; i < values.size(); i++) {
            List<String> valueErrors = LabelSyntax.labelValueErrors(values.get(i));
            if (!valueErrors.isEmpty()) {
                errors.add(GoFormat.invalid("values[" + i + "][" + key + "]", GoFormat.quote(values.get(i)),
                        String.join("; ", valueErrors)));
            }
        }
        return errors;
    }

    /**
     * Whether the labels satisfy this term. A missing key satisfies only {@code !=}, {@code notin}
     * and {@code !key}; {@code gt}/{@code lt} need a label value that is an integer.
     */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> present = labels == null ? Map.of() : labels;
        boolean has = present.containsKey(key);
        String value = has ? Objects.requireNonNullElse(present.get(key), "") : null;
        return switch (operator) {
            case IN, EQUALS, DOUBLE_EQUALS -> has && values.contains(value);
            case NOT_IN, NOT_EQUALS -> !has || !values.contains(value);
            case EXISTS -> has;
            case DOES_NOT_EXIST -> !has;
            case GREATER_THAN, LESS_THAN -> has && compares(value);
        };
    }

    private boolean compares(String labelValue) {
        OptionalLong actual = parseInt64(labelValue);
        OptionalLong bound = parseInt64(values.get(0));
        if (actual.isEmpty() || bound.isEmpty()) {
            return false;
        }
        return operator == Operator.GREATER_THAN
                ? actual.getAsLong() > bound.getAsLong()
                : actual.getAsLong() < bound.getAsLong();
    }

    /** Go's {@code strconv.ParseInt(s, 10, 64)}: optional sign, ASCII digits only, 64-bit range. */
    static OptionalLong parseInt64(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (start == s.length()) {
            return OptionalLong.empty();
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException outOfRange) {
            return OptionalLong.empty();
        }
    }

    /** Upstream's {@code Requirement.String()}: {@code key=v}, {@code key in (a,b)}, {@code !key}, {@code key>1}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (operator == Operator.DOES_NOT_EXIST) {
            out.append('!');
        }
        out.append(key);
        switch (operator) {
            case EXISTS, DOES_NOT_EXIST -> {
                return out.toString();
            }
            case EQUALS -> out.append('=');
            case DOUBLE_EQUALS -> out.append("==");
            case NOT_EQUALS -> out.append("!=");
            case GREATER_THAN -> out.append('>');
            case LESS_THAN -> out.append('<');
            case IN -> out.append(" in (");
            case NOT_IN -> out.append(" notin (");
        }
        out.append(String.join(",", values.stream().sorted().toList()));
        if (operator == Operator.IN || operator == Operator.NOT_IN) {
            out.append(')');
        }
        return out.toString();
    }
}
