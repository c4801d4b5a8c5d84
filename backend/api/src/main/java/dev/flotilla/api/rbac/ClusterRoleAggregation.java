package dev.flotilla.api.rbac;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.api.selector.SelectorParseException;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * ClusterRole aggregation (upstream's clusterrole-aggregation controller, as a plain function): the
 * rules of a ClusterRole with an aggregationRule are the rules of every other ClusterRole matched by
 * one of its selectors, in name order, each rule once. Aggregating roles that feed each other (view →
 * edit → admin) converge when this is applied again after each change.
 */
public final class ClusterRoleAggregation {

    private ClusterRoleAggregation() {
    }

    /** The rules {@code target} should have, or null when it has no aggregationRule. */
    public static List<PolicyRule> rulesFor(ClusterRole target, Collection<ClusterRole> all) {
        if (target.getAggregationRule() == null || target.getAggregationRule().getClusterRoleSelectors() == null) {
            return null;
        }
        List<ClusterRole> sorted = all.stream().sorted(Comparator.comparing(r -> r.getMetadata().getName())).toList();
        List<PolicyRule> rules = new ArrayList<>();
        for (var selector : target.getAggregationRule().getClusterRoleSelectors()) {
            LabelSelector matcher;
            try {
                matcher = LabelSelector.fromMetaV1(selector);
            } catch (SelectorParseException invalid) {
                continue;
            }
            for (ClusterRole candidate : sorted) {
                if (candidate.getMetadata().getName().equals(target.getMetadata().getName())) {
                    continue;
                }
                Map<String, String> labels = candidate.getMetadata().getLabels();
                if (!matcher.matches(labels == null ? Map.of() : labels)) {
                    continue;
                }
                for (PolicyRule rule : candidate.getRules() == null ? List.<PolicyRule>of() : candidate.getRules()) {
                    if (!rules.contains(rule)) {
                        rules.add(rule);
                    }
                }
            }
        }
        return rules;
    }
}
