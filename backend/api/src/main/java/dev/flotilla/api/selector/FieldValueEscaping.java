package dev.flotilla.api.selector;

/**
 * Upstream's escaping of field selector values: {@code \\}, {@code \,} and {@code \=} stand for a
 * backslash, comma and equals sign; any other backslash sequence, a trailing backslash or an
 * unescaped {@code ,}/{@code =} in a value is an error.
 */
public final class FieldValueEscaping {

    private FieldValueEscaping() {
    }

    /** The value as it must appear after the operator in a field selector. */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == ',' || c == '=') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * The value an escaped right-hand side stands for.
     *
     * @throws SelectorParseException with upstream's message for a bad escape or an unescaped character
     */
    public static String unescape(String escaped) {
        StringBuilder out = new StringBuilder(escaped.length());
        boolean inEscape = false;
        for (int i = 0; i < escaped.length(); ) {
            int c = escaped.codePointAt(i);
            i += Character.charCount(c);
            if (inEscape) {
                if (c != '\\' && c != ',' && c != '=') {
                    throw new SelectorParseException("invalid field selector: invalid escape sequence: \\"
                            + new String(Character.toChars(c)));
                }
                out.appendCodePoint(c);
                inEscape = false;
            } else if (c == '\\') {
                inEscape = true;
            } else if (c == ',' || c == '=') {
                // Upstream prints the rune with %v, i.e. as its number (61 for '=').
                throw new SelectorParseException("invalid field selector: unescaped character in value: " + c);
            } else {
                out.appendCodePoint(c);
            }
        }
        if (inEscape) {
            throw new SelectorParseException("invalid field selector: invalid escape sequence: \\");
        }
        return out.toString();
    }
}
