package dev.flotilla.scheduler.config;

import dev.flotilla.scheduler.cache.SpreadConstraint;
import dev.flotilla.scheduler.plugins.ScoringStrategy;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;

/**
 * A profile's plugin arguments after defaulting: NodeResourcesFit's scoring strategy,
 * PodTopologySpread's cluster-level default constraints (and whether they are the system
 * defaults), InterPodAffinity's hardPodAffinityWeight and NodeAffinity's addedAffinity (null: none).
 */
public record PluginSettings(ScoringStrategy fitScoring, List<TopologySpreadConstraint> defaultSpreadConstraints,
        boolean systemDefaultedSpread, int hardPodAffinityWeight, NodeAffinity addedAffinity) {

    public static PluginSettings defaults() {
        return new PluginSettings(ScoringStrategy.leastAllocated(), SpreadConstraint.SYSTEM_DEFAULTS, true, 1, null);
    }
}
