package dev.flotilla.api.scheduling;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.List;
import java.util.Map;

/** Node selector terms as upstream evaluates them: terms are ORed, a term's requirements ANDed; an empty term matches nothing. */
public final class NodeSelectorTerms {

    private NodeSelectorTerms() {
    }

    public static boolean anyMatches(List<NodeSelectorTerm> terms, Node node) {
        for (NodeSelectorTerm term : terms) {
            if (matches(term, node)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(NodeSelectorTerm term, Node node) {
        if (term == null || (term.getMatchExpressions().isEmpty() && term.getMatchFields().isEmpty())) {
            return false;
        }
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        for (NodeSelectorRequirement requirement : term.getMatchExpressions()) {
            if (!matches(requirement, labels.get(requirement.getKey()), labels.containsKey(requirement.getKey()))) {
                return false;
            }
        }
        for (NodeSelectorRequirement requirement : term.getMatchFields()) {
            boolean known = "metadata.name".equals(requirement.getKey());
            if (!known || !matches(requirement, node.getMetadata().getName(), true)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(NodeSelectorRequirement requirement, String value, boolean present) {
        List<String> values = requirement.getValues();
        return switch (requirement.getOperator()) {
            case "In" -> present && values.contains(value);
            case "NotIn" -> !present || !values.contains(value);
            case "Exists" -> present;
            case "DoesNotExist" -> !present;
            case "Gt" -> present && compare(value, values) > 0;
            case "Lt" -> present && compare(value, values) < 0;
            default -> false;
        };
    }

    /** Gt/Lt compare integers; a value that is not one never matches. */
    private static int compare(String value, List<String> values) {
        try {
            if (values.size() != 1) {
                return 0;
            }
            return Long.compare(Long.parseLong(value), Long.parseLong(values.get(0)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
