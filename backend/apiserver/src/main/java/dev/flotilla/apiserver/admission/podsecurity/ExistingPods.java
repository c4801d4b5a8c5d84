package dev.flotilla.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The warnings upstream gives when a namespace's enforce level gets stricter: one line saying so,
 * then one per distinct set of violations, naming the first pod that has it and how many others do.
 */
final class ExistingPods {

    private ExistingPods() {
    }

    static List<String> warnings(String namespace, LevelVersion enforce, List<? extends JsonNode> pods) {
        Map<String, List<String>> podsByReasons = new LinkedHashMap<>();
        for (JsonNode pod : pods) {
            List<Violation> violations = PodSecurityEvaluator.evaluate(enforce.level(), pod.path("metadata"),
                    pod.path("spec"));
            if (!violations.isEmpty()) {
                String reasons = String.join(", ", violations.stream().map(Violation::reason).toList());
                podsByReasons.computeIfAbsent(reasons, r -> new ArrayList<>())
                        .add(pod.path("metadata").path("name").asText());
            }
        }
        if (podsByReasons.isEmpty()) {
            return List.of();
        }
        List<String> warnings = new ArrayList<>();
        warnings.add("existing pods in namespace \"" + namespace + "\" violate the new PodSecurity enforce level \""
                + enforce + "\"");
        podsByReasons.forEach((reasons, names) -> warnings.add(switch (names.size()) {
            case 1 -> names.get(0) + ": " + reasons;
            case 2 -> names.get(0) + " (and 1 other pod): " + reasons;
            default -> names.get(0) + " (and " + (names.size() - 1) + " other pods): " + reasons;
        }));
        return warnings;
    }
}
