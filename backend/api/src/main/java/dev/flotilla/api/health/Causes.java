package dev.flotilla.api.health;

/** Short, human-readable descriptions of failures for health output and logs. */
public final class Causes {

    private Causes() {
    }

    /** The message of the innermost cause, which usually names what actually went wrong. */
    public static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
