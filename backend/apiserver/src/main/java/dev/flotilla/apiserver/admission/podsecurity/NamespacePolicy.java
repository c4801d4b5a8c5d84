package dev.flotilla.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.status.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The levels a namespace enforces, audits and warns about, from its
 * {@code pod-security.kubernetes.io/*} labels over the cluster defaults, as upstream's
 * {@code PolicyToEvaluate}: an invalid level counts as {@code restricted}, an invalid version as
 * {@code latest} (and is reported in {@link Parsed#errors}); when the warn level is not labelled, it
 * follows an explicitly labelled enforce level that is stricter.
 */
public record NamespacePolicy(LevelVersion enforce, LevelVersion audit, LevelVersion warn) {

    public static final String PREFIX = "pod-security.kubernetes.io/";
    public static final String ENFORCE = PREFIX + "enforce";
    public static final String AUDIT = PREFIX + "audit";
    public static final String WARN = PREFIX + "warn";

    public record Parsed(NamespacePolicy policy, List<FieldError> errors) {
    }

    public boolean fullyPrivileged() {
        return enforce.level() == Level.PRIVILEGED && audit.level() == Level.PRIVILEGED
                && warn.level() == Level.PRIVILEGED;
    }

    public static Parsed from(JsonNode labels, NamespacePolicy defaults) {
        List<FieldError> errors = new ArrayList<>();
        LevelVersion enforce = mode(labels, ENFORCE, defaults.enforce, errors);
        LevelVersion audit = mode(labels, AUDIT, defaults.audit, errors);
        LevelVersion warn = mode(labels, WARN, defaults.warn, errors);
        boolean enforceLabelled = labels.has(ENFORCE) && Level.parse(labels.path(ENFORCE).asText()).isPresent();
        if (!labels.has(WARN) && enforceLabelled && enforce.level().compareTo(warn.level()) > 0) {
            warn = labels.has(WARN + "-version") ? warn.withLevel(enforce.level()) : enforce;
        }
        return new Parsed(new NamespacePolicy(enforce, audit, warn), errors);
    }

    private static LevelVersion mode(JsonNode labels, String key, LevelVersion fallback, List<FieldError> errors) {
        LevelVersion result = fallback;
        JsonNode level = labels.get(key);
        if (level != null) {
            result = result.withLevel(Level.parse(level.asText()).orElseGet(() -> {
                errors.add(FieldError.invalid(labelPath(key), level.asText(), "must be one of " + Level.VALID));
                return Level.RESTRICTED;
            }));
        }
        JsonNode version = labels.get(key + "-version");
        if (version != null) {
            if (LevelVersion.validVersion(version.asText())) {
                result = result.withVersion(version.asText());
            } else {
                errors.add(FieldError.invalid(labelPath(key + "-version"), version.asText(),
                        "must be \"latest\" or \"v1.x\""));
                result = result.withVersion(LevelVersion.LATEST);
            }
        }
        return result;
    }

    private static String labelPath(String key) {
        return "metadata.labels[" + key + "]";
    }
}
