package dev.flotilla.apiserver.admission.podsecurity;

import java.util.Locale;
import java.util.Optional;

/** The Pod Security Standards levels, from least to most restrictive. */
public enum Level {
    PRIVILEGED, BASELINE, RESTRICTED;

    public static final String VALID = "privileged, baseline, restricted";

    public static Optional<Level> parse(String value) {
        for (Level level : values()) {
            if (level.label().equals(value)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    /** How labels and messages spell it: {@code restricted}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
