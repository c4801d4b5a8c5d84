package dev.flotilla.api.selector;

/**
 * A label or field selector that cannot be parsed, converted or accepted. The message is worded like
 * the upstream API server's, so the HTTP layer can hand it back unchanged in a 400 {@code Status}.
 */
public class SelectorParseException extends RuntimeException {

    public SelectorParseException(String message) {
        super(message, null, false, false);
    }
}
