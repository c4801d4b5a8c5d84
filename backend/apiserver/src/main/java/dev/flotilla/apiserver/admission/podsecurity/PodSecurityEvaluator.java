package dev.flotilla.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Evaluates a pod (or a pod template) against a level: every check of that level and the levels
 * below it, in upstream's order (by check id), each violation once.
 */
public final class PodSecurityEvaluator {

    private static final List<PodCheck> CHECKS = Stream.concat(BaselineChecks.all().stream(),
            RestrictedChecks.all().stream()).sorted(Comparator.comparing(PodCheck::id)).toList();

    private PodSecurityEvaluator() {
    }

    public static List<Violation> evaluate(Level level, JsonNode metadata, JsonNode spec) {
        List<Violation> violations = new ArrayList<>();
        for (PodCheck check : CHECKS) {
            if (check.level().compareTo(level) <= 0) {
                check.check(metadata, spec).ifPresent(violations::add);
            }
        }
        return violations;
    }

    /** {@code reason (detail), reason (detail)}: upstream's aggregated forbidden detail. */
    public static String describe(List<Violation> violations) {
        return String.join(", ", violations.stream().map(Violation::toString).toList());
    }
}
