package dev.flotilla.api.health;

import java.util.Objects;

/** Outcome of one {@link HealthCheck}: healthy, or unhealthy with a short reason a person can act on. */
public record HealthResult(boolean healthy, String reason) {

    private static final HealthResult OK = new HealthResult(true, "ok");

    public HealthResult {
        Objects.requireNonNull(reason, "reason");
    }

    public static HealthResult ok() {
        return OK;
    }

    public static HealthResult failed(String reason) {
        return new HealthResult(false, reason);
    }
}
