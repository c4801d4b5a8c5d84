package dev.flotilla.controllers.namespace;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The five deletion conditions upstream's namespace controller keeps on a terminating namespace, in its words. */
final class NamespaceConditions {

    private NamespaceConditions() {
    }

    /** The conditions after a deletion pass; lastTransitionTime kept from {@code previous} when a status did not change. */
    static List<NamespaceCondition> after(NamespaceContentDeleter.Outcome outcome, List<NamespaceCondition> previous) {
        List<NamespaceCondition> conditions = new ArrayList<>();
        conditions.add(condition(previous, "NamespaceDeletionDiscoveryFailure", !outcome.discoveryFailures().isEmpty(),
                "DiscoveryFailed", "Discovery failed for some groups, " + outcome.discoveryFailures().size()
                        + " failing: " + String.join(", ", outcome.discoveryFailures()),
                "ResourcesDiscovered", "All resources successfully discovered"));
        conditions.add(condition(previous, "NamespaceDeletionGroupVersionParsingFailure", false,
                "GroupVersionParsingFailed", "", "ParsedGroupVersions", "All legacy kube types successfully parsed"));
        conditions.add(condition(previous, "NamespaceDeletionContentFailure", !outcome.deletionErrors().isEmpty(),
                "ContentDeletionFailed", "Failed to delete all resource types, " + outcome.deletionErrors().size()
                        + " remaining: " + String.join(", ", outcome.deletionErrors()),
                "ContentDeleted", "All content successfully deleted, may be waiting on finalization"));
        conditions.add(condition(previous, "NamespaceContentRemaining", !outcome.remaining().isEmpty(),
                "SomeResourcesRemain", "Some resources are remaining: " + counts(outcome.remaining(), " has ",
                        " resource instances"),
                "ContentRemoved", "All content successfully removed"));
        conditions.add(condition(previous, "NamespaceFinalizersRemaining", !outcome.finalizersRemaining().isEmpty(),
                "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: "
                        + counts(outcome.finalizersRemaining(), " in ", " resource instances"),
                "ContentHasNoFinalizers", "All content-preserving finalizers finished"));
        return conditions;
    }

    /** Whether two condition lists say the same, ignoring transition times. */
    static boolean same(List<NamespaceCondition> a, List<NamespaceCondition> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            NamespaceCondition x = a.get(i);
            NamespaceCondition y = b.get(i);
            if (!Objects.equals(x.getType(), y.getType()) || !Objects.equals(x.getStatus(), y.getStatus())
                    || !Objects.equals(x.getReason(), y.getReason()) || !Objects.equals(x.getMessage(), y.getMessage())) {
                return false;
            }
        }
        return true;
    }

    private static NamespaceCondition condition(List<NamespaceCondition> previous, String type, boolean failing,
            String failReason, String failMessage, String okReason, String okMessage) {
        String status = failing ? "True" : "False";
        String since = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (NamespaceCondition old : previous) {
            if (type.equals(old.getType()) && status.equals(old.getStatus()) && old.getLastTransitionTime() != null) {
                since = old.getLastTransitionTime();
            }
        }
        return new NamespaceConditionBuilder().withType(type).withStatus(status)
                .withReason(failing ? failReason : okReason).withMessage(failing ? failMessage : okMessage)
                .withLastTransitionTime(since).build();
    }

    private static String counts(Map<String, Integer> counts, String infix, String suffix) {
        List<String> parts = new ArrayList<>();
        counts.forEach((name, count) -> parts.add(name + infix + count + suffix));
        return String.join(", ", parts);
    }
}
