package dev.flotilla.api.quota;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import java.util.ArrayList;
import java.util.List;

/**
 * A quota's scopes ({@code spec.scopes} and {@code spec.scopeSelector}): which pods it counts. A
 * scoped quota tracks only pod resources, as upstream's pod evaluator is the only one that matches
 * scopes.
 */
public final class QuotaScopes {

    private final List<ScopedResourceSelectorRequirement> requirements;

    private QuotaScopes(List<ScopedResourceSelectorRequirement> requirements) {
        this.requirements = requirements;
    }

    public static QuotaScopes of(ResourceQuota quota) {
        List<ScopedResourceSelectorRequirement> requirements = new ArrayList<>();
        if (quota.getSpec() != null && quota.getSpec().getScopes() != null) {
            for (String scope : quota.getSpec().getScopes()) {
                requirements.add(new ScopedResourceSelectorRequirement("Exists", scope, List.of()));
            }
        }
        if (quota.getSpec() != null && quota.getSpec().getScopeSelector() != null
                && quota.getSpec().getScopeSelector().getMatchExpressions() != null) {
            requirements.addAll(quota.getSpec().getScopeSelector().getMatchExpressions());
        }
        return new QuotaScopes(requirements);
    }

    public boolean scoped() {
        return !requirements.isEmpty();
    }

    public boolean matches(Pod pod) {
        return requirements.stream().allMatch(r -> matches(r, pod));
    }

    private static boolean matches(ScopedResourceSelectorRequirement requirement, Pod pod) {
        String scope = requirement.getScopeName();
        String operator = requirement.getOperator();
        boolean negate = "DoesNotExist".equals(operator);
        boolean in = switch (scope) {
            case "Terminating" -> PodUsage.terminating(pod);
            case "NotTerminating" -> !PodUsage.terminating(pod);
            case "BestEffort" -> PodUsage.bestEffort(pod);
            case "NotBestEffort" -> !PodUsage.bestEffort(pod);
            case "PriorityClass" -> priorityClassMatches(requirement, pod);
            default -> false;
        };
        return negate != in;
    }

    private static boolean priorityClassMatches(ScopedResourceSelectorRequirement requirement, Pod pod) {
        String priorityClass = pod.getSpec() == null ? null : pod.getSpec().getPriorityClassName();
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (requirement.getOperator()) {
            case "In" -> priorityClass != null && values.contains(priorityClass);
            case "NotIn" -> priorityClass == null || !values.contains(priorityClass);
            default -> priorityClass != null && !priorityClass.isEmpty();
        };
    }
}
