package dev.flotilla.scheduler;

import dev.flotilla.scheduler.framework.Profile;
import dev.flotilla.scheduler.framework.WeightedScore;
import dev.flotilla.scheduler.plugins.BalancedAllocation;
import dev.flotilla.scheduler.plugins.InterPodAffinity;
import dev.flotilla.scheduler.plugins.NodeAffinity;
import dev.flotilla.scheduler.plugins.NodeName;
import dev.flotilla.scheduler.plugins.NodePorts;
import dev.flotilla.scheduler.plugins.NodeResourcesFit;
import dev.flotilla.scheduler.plugins.NodeUnschedulable;
import dev.flotilla.scheduler.plugins.TaintToleration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Upstream's default plugin set, in its filter order and with its default score weights. */
final class DefaultProfile {

    private DefaultProfile() {
    }

    static Profile named(String schedulerName) {
        return named(schedulerName, namespace -> Map.of());
    }

    /** {@code namespaceLabels}: a namespace's labels, for pod affinity terms with a namespaceSelector. */
    static Profile named(String schedulerName, Function<String, Map<String, String>> namespaceLabels) {
        InterPodAffinity podAffinity = new InterPodAffinity(namespaceLabels);
        TaintToleration taints = new TaintToleration();
        NodeAffinity affinity = new NodeAffinity();
        NodeResourcesFit fit = new NodeResourcesFit();
        return new Profile(schedulerName,
                List.of(new NodeUnschedulable(), new NodeName(), taints, affinity, new NodePorts(), fit, podAffinity),
                List.of(new WeightedScore(taints, 3), new WeightedScore(affinity, 2), new WeightedScore(fit, 1),
                        new WeightedScore(podAffinity, 2),
                        new WeightedScore(new BalancedAllocation(), 1)));
    }
}
