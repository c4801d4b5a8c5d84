package dev.flotilla.apiserver.admission.podsecurity;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A level at a version of the standards, as a namespace's {@code pod-security.kubernetes.io/<mode>}
 * and {@code <mode>-version} labels name it; {@link #toString} is upstream's {@code restricted:latest}.
 * Every version is evaluated with the latest checks (docs/admission.md).
 */
public record LevelVersion(Level level, String version) {

    public static final String LATEST = "latest";
    private static final Pattern VERSION = Pattern.compile("v1\\.(0|[1-9][0-9]*)");

    public static final LevelVersion PRIVILEGED_LATEST = new LevelVersion(Level.PRIVILEGED, LATEST);

    public static boolean validVersion(String version) {
        return LATEST.equals(version) || VERSION.matcher(version).matches();
    }

    public static Optional<LevelVersion> parse(String level, String version) {
        return Level.parse(level).filter(l -> validVersion(version)).map(l -> new LevelVersion(l, version));
    }

    public LevelVersion withLevel(Level other) {
        return new LevelVersion(other, version);
    }

    public LevelVersion withVersion(String other) {
        return new LevelVersion(level, other);
    }

    @Override
    public String toString() {
        return level.label() + ":" + version;
    }
}
