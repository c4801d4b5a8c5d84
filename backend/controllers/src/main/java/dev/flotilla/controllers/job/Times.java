package dev.flotilla.controllers.job;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** API timestamps: RFC 3339 to the second, as metav1.Time serialises. */
public final class Times {

    private Times() {
    }

    public static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static Instant parse(String text) {
        return text == null || text.isEmpty() ? null : Instant.parse(text);
    }
}
