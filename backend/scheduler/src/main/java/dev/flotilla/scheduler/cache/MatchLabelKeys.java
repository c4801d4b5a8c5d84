package dev.flotilla.scheduler.cache;

import dev.flotilla.api.selector.LabelRequirement;
import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.api.selector.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * matchLabelKeys / mismatchLabelKeys of pod affinity terms and spread constraints: the owner pod's
 * values of those keys merged into the selector ({@code key in (value)}, {@code key notin (value)}).
 * A null selector (selects nothing) stays so, as upstream.
 */
final class MatchLabelKeys {

    private MatchLabelKeys() {
    }

    static LabelSelector merge(LabelSelector selector, Map<String, String> ownerLabels, List<String> matchKeys,
            List<String> mismatchKeys) {
        Map<String, String> labels = ownerLabels == null ? Map.of() : ownerLabels;
        List<LabelRequirement> extra = new ArrayList<>();
        for (String key : matchKeys) {
            if (labels.containsKey(key)) {
                extra.add(LabelRequirement.of(key, Operator.IN, labels.get(key)));
            }
        }
        for (String key : mismatchKeys) {
            if (labels.containsKey(key)) {
                extra.add(LabelRequirement.of(key, Operator.NOT_IN, labels.get(key)));
            }
        }
        if (extra.isEmpty() || selector.matchesNothing()) {
            return selector;
        }
        extra.addAll(selector.requirements());
        return LabelSelector.of(extra);
    }
}
