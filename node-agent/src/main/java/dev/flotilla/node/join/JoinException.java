package dev.flotilla.node.join;

/** Joining failed; the message says what went wrong and what to do next. */
public class JoinException extends RuntimeException {

    public JoinException(String message) {
        super(message);
    }

    public JoinException(String message, Throwable cause) {
        super(message, cause);
    }
}
