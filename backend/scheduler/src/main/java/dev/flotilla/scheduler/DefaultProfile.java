package dev.flotilla.scheduler;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.scheduler.framework.Profile;
import dev.flotilla.scheduler.framework.WeightedScore;
import dev.flotilla.scheduler.plugins.BalancedAllocation;
import dev.flotilla.scheduler.plugins.DefaultPreemption;
import dev.flotilla.scheduler.plugins.ImageLocality;
import dev.flotilla.scheduler.plugins.InterPodAffinity;
import dev.flotilla.scheduler.plugins.NodeAffinity;
import dev.flotilla.scheduler.plugins.NodeName;
import dev.flotilla.scheduler.plugins.NodePorts;
import dev.flotilla.scheduler.plugins.NodeResourcesFit;
import dev.flotilla.scheduler.plugins.NodeUnschedulable;
import dev.flotilla.scheduler.plugins.PodTopologySpread;
import dev.flotilla.scheduler.plugins.TaintToleration;
import dev.flotilla.scheduler.plugins.VolumeBinding;
import dev.flotilla.scheduler.framework.FilterPlugin;
import java.util.ArrayList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Upstream's default plugin set, in its filter order and with its default score weights. */
final class DefaultProfile {

    private DefaultProfile() {
    }

    static Profile named(String schedulerName) {
        return named(schedulerName, namespace -> Map.of(), pod -> LabelSelector.everything(), namespace -> List.of(),
                null);
    }

    /**
     * {@code namespaceLabels}: a namespace's labels, for pod affinity terms with a namespaceSelector;
     * {@code ownerSelector}: the selector of a pod's Services and controller, for default spreading;
     * {@code disruptionBudgets}: a namespace's PodDisruptionBudgets, for preemption;
     * {@code volumes} (may be null: pods' claims are not looked at) after NodeResourcesFit, as upstream.
     */
    static Profile named(String schedulerName, Function<String, Map<String, String>> namespaceLabels,
            Function<Pod, LabelSelector> ownerSelector, Function<String, List<PodDisruptionBudget>> disruptionBudgets,
            VolumeBinding volumes) {
        InterPodAffinity podAffinity = new InterPodAffinity(namespaceLabels);
        PodTopologySpread spread = new PodTopologySpread(ownerSelector);
        TaintToleration taints = new TaintToleration();
        NodeAffinity affinity = new NodeAffinity();
        NodeResourcesFit fit = new NodeResourcesFit();
        List<FilterPlugin> filters = new ArrayList<>(
                List.of(new NodeUnschedulable(), new NodeName(), taints, affinity, new NodePorts(), fit));
        if (volumes != null) {
            filters.add(volumes);
        }
        filters.add(spread);
        filters.add(podAffinity);
        return new Profile(schedulerName, List.copyOf(filters),
                List.of(new WeightedScore(taints, 3), new WeightedScore(affinity, 2), new WeightedScore(fit, 1),
                        new WeightedScore(spread, 2), new WeightedScore(podAffinity, 2),
                        new WeightedScore(new BalancedAllocation(), 1), new WeightedScore(new ImageLocality(), 1)),
                List.of(new DefaultPreemption(disruptionBudgets)));
    }
}
