package dev.flotilla.api.pki;

/** A certificate or key could not be created, read or written. */
public class PkiException extends RuntimeException {
    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }

    public PkiException(String message) {
        super(message);
    }
}
