package dev.flotilla.node.probe;

/** What running a probe or hook handler gave: success, or failure with upstream's style of message. */
public record Outcome(boolean success, String message) {

    static final Outcome SUCCESS = new Outcome(true, "");

    static Outcome failure(String message) {
        return new Outcome(false, message);
    }
}
