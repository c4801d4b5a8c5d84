package dev.flotilla.node.join;

/** cluster-info has no signature for the token yet: a token created a moment ago is signed within seconds. */
final class NotSignedYetException extends JoinException {

    NotSignedYetException(String message) {
        super(message);
    }
}
