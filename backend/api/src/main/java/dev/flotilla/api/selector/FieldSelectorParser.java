package dev.flotilla.api.selector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Upstream's field selector parsing: split at unescaped commas, sort the terms, split each at its
 * first {@code !=}, {@code ==} or {@code =}, unescape the value. Nothing is trimmed.
 */
final class FieldSelectorParser {

    private static final List<String> OPERATORS = List.of("!=", "==", "=");

    /** Go compares strings byte-wise (UTF-8), which is the order upstream sorts terms in. */
    private static final Comparator<String> GO_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private FieldSelectorParser() {
    }

    static List<FieldRequirement> parse(String selector) {
        List<String> terms = splitTerms(selector);
        terms.sort(GO_ORDER);
        List<FieldRequirement> requirements = new ArrayList<>();
        for (String term : terms) {
            if (!term.isEmpty()) {
                requirements.add(requirement(selector, term));
            }
        }
        return requirements;
    }

    private static FieldRequirement requirement(String selector, String term) {
        for (int i = 0; i < term.length(); i++) {
            for (String operator : OPERATORS) {
                if (term.startsWith(operator, i)) {
                    String value = FieldValueEscaping.unescape(term.substring(i + operator.length()));
                    Operator op = operator.equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS;
                    return new FieldRequirement(term.substring(0, i), op, value);
                }
            }
        }
        throw new SelectorParseException("invalid selector: '" + selector + "'; can't understand '" + term + "'");
    }

    /** The terms between unescaped commas (a backslash escapes whatever follows it). */
    static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        if (selector.isEmpty()) {
            return terms;
        }
        int start = 0;
        boolean inEscape = false;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (inEscape) {
                inEscape = false;
            } else if (c == '\\') {
                inEscape = true;
            } else if (c == ',') {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }
}
