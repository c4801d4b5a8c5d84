package dev.flotilla.api.apply;

import dev.flotilla.api.status.ApiError;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A field an apply would change that another manager owns, and the 409 that reports them. */
public record ApplyConflict(ManagedFieldsEntry owner, List<String> path) {

    /** Upstream's message: one conflict inline, several grouped by manager. */
    public static String message(List<ApplyConflict> conflicts) {
        if (conflicts.size() == 1) {
            ApplyConflict only = conflicts.get(0);
            return "Apply failed with 1 conflict: conflict with " + only.owner.describe() + ": "
                    + PathElements.describe(only.path);
        }
        Map<String, List<String>> byManager = new TreeMap<>();
        for (ApplyConflict conflict : conflicts) {
            byManager.computeIfAbsent(conflict.owner.describe(), m -> new ArrayList<>())
                    .add(PathElements.describe(conflict.path));
        }
        List<String> lines = new ArrayList<>();
        byManager.forEach((manager, paths) -> {
            lines.add("conflicts with " + manager + ":");
            paths.forEach(path -> lines.add("- " + path));
        });
        return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
    }

    public static ApiError error(List<ApplyConflict> conflicts) {
        List<StatusCause> causes = conflicts.stream().map(conflict -> new StatusCause(
                PathElements.describe(conflict.path), "conflict with " + conflict.owner.describe(),
                "FieldManagerConflict")).toList();
        return new ApiError(new StatusBuilder()
                .withNewMetadata().endMetadata()
                .withStatus("Failure")
                .withCode(409)
                .withReason("Conflict")
                .withMessage(message(conflicts))
                .withNewDetails().withCauses(causes).endDetails()
                .build());
    }
}
