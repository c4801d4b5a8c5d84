package dev.flotilla.scheduler;

import dev.flotilla.scheduler.framework.Profile;
import dev.flotilla.scheduler.framework.WeightedScore;
import dev.flotilla.scheduler.plugins.BalancedAllocation;
import dev.flotilla.scheduler.plugins.NodeAffinity;
import dev.flotilla.scheduler.plugins.NodeName;
import dev.flotilla.scheduler.plugins.NodePorts;
import dev.flotilla.scheduler.plugins.NodeResourcesFit;
import dev.flotilla.scheduler.plugins.NodeUnschedulable;
import dev.flotilla.scheduler.plugins.TaintToleration;
import dev.flotilla.scheduler.plugins.VolumeBinding;
import dev.flotilla.scheduler.framework.FilterPlugin;
import java.util.ArrayList;
import java.util.List;

/** Upstream's default plugin set, in its filter order and with its default score weights. */
final class DefaultProfile {

    private DefaultProfile() {
    }

    static Profile named(String schedulerName) {
        return named(schedulerName, null);
    }

    /** With {@code volumes} (may be null: pods' claims are not looked at) after NodeResourcesFit, as upstream. */
    static Profile named(String schedulerName, VolumeBinding volumes) {
        TaintToleration taints = new TaintToleration();
        NodeAffinity affinity = new NodeAffinity();
        NodeResourcesFit fit = new NodeResourcesFit();
        List<FilterPlugin> filters = new ArrayList<>(
                List.of(new NodeUnschedulable(), new NodeName(), taints, affinity, new NodePorts(), fit));
        if (volumes != null) {
            filters.add(volumes);
        }
        return new Profile(schedulerName, List.copyOf(filters),
                List.of(new WeightedScore(taints, 3), new WeightedScore(affinity, 2), new WeightedScore(fit, 1),
                        new WeightedScore(new BalancedAllocation(), 1)));
    }
}
