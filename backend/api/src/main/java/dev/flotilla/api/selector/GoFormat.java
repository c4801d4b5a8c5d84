package dev.flotilla.api.selector;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders values and validation errors the way upstream's Go code prints them ({@code %q},
 * {@code %#v} of a string slice, {@code field.Error}, aggregated error lists), so messages match
 * what kubectl users know.
 */
final class GoFormat {

    private GoFormat() {
    }

    /** Go's {@code strconv.Quote}: double quotes, backslash escapes, non-printable characters escaped. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> appendQuoted(out, cp));
        return out.append('"').toString();
    }

    private static void appendQuoted(StringBuilder out, int cp) {
        switch (cp) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case 0x07 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0B -> out.append("\\v");
            default -> {
                if (isPrintable(cp)) {
                    out.appendCodePoint(cp);
                } else if (cp < 0x20 || cp == 0x7F) {
                    out.append(String.format("\\x%02x", cp));
                } else if (cp < 0x10000) {
                    out.append(String.format("\\u%04x", cp));
                } else {
                    out.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                    Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                    Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION,
                    Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                    Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /**
     * Go's {@code %#v} of a {@code []string}. Empty lists print as {@code []string(nil)}: the only
     * empty value lists that reach an error message come from {@code metav1} conversion, where
     * upstream copies the values with {@code append([]string(nil), ...)}.
     */
    static String stringSlice(List<String> values) {
        if (values.isEmpty()) {
            return "[]string(nil)";
        }
        StringBuilder out = new StringBuilder("[]string{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(quote(values.get(i)));
        }
        return out.append('}').toString();
    }

    /** {@code field.Invalid(path, value, detail).Error()} with an already rendered value. */
    static String invalid(String path, String renderedValue, String detail) {
        String message = path + ": Invalid value: " + renderedValue;
        return detail.isEmpty() ? message : message + ": " + detail;
    }

    /** {@code field.ErrorList.ToAggregate().Error()}: duplicates dropped, several errors in brackets. */
    static String aggregate(List<String> errors) {
        Set<String> distinct = new LinkedHashSet<>(errors);
        if (distinct.size() == 1) {
            return distinct.iterator().next();
        }
        return "[" + String.join(", ", distinct) + "]";
    }
}
