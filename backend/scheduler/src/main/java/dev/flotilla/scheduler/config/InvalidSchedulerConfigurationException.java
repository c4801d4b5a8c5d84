package dev.flotilla.scheduler.config;

/** The configuration file cannot be used; the message names the field and the problem as upstream words it. */
public final class InvalidSchedulerConfigurationException extends Exception {

    public InvalidSchedulerConfigurationException(String message) {
        super(message);
    }

    public InvalidSchedulerConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
