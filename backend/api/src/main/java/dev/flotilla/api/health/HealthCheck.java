package dev.flotilla.api.health;

/**
 * One named part of a component's health, as served by {@code /livez} and {@code /readyz}
 * ({@code [+]etcd ok}, {@code [-]postgresql failed: ...}).
 *
 * <p>Implementations must answer quickly: they either read state kept up to date in the background
 * or bound their own I/O with a short timeout.
 */
public interface HealthCheck {

    /** Name shown in the check listing and usable as {@code /readyz/<name>}. */
    String name();

    /** Whether this check also belongs to {@code /livez}; most dependencies only affect readiness. */
    default boolean liveness() {
        return false;
    }

    HealthResult check();
}
