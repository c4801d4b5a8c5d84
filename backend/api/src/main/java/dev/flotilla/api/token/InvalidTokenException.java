package dev.flotilla.api.token;

/** A token that is not (or no longer) valid; the message says why, as TokenReview reports it. */
public class InvalidTokenException extends Exception {

    public InvalidTokenException(String message) {
        super(message, null, false, false);
    }
}
