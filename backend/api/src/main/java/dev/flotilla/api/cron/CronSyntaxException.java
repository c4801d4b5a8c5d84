package dev.flotilla.api.cron;

/** A schedule that does not parse; the message says why, in upstream's words. */
public class CronSyntaxException extends IllegalArgumentException {

    public CronSyntaxException(String message) {
        super(message);
    }
}
