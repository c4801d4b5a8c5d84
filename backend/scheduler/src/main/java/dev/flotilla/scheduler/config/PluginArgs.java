package dev.flotilla.scheduler.config;

import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;

/** The plugin arguments Flotilla reads from {@code pluginConfig[].args}, as upstream's {@code <Plugin>Args} kinds. */
public final class PluginArgs {

    private PluginArgs() {
    }

    public record NodeResourcesFitArgs(String apiVersion, String kind, ScoringStrategy scoringStrategy) {
    }

    public record ScoringStrategy(String type, List<ResourceSpec> resources,
            RequestedToCapacityRatioParam requestedToCapacityRatio) {
    }

    public record ResourceSpec(String name, Long weight) {
    }

    public record RequestedToCapacityRatioParam(List<UtilizationShapePoint> shape) {
    }

    /** {@code utilization} 0..100, {@code score} 0..10. */
    public record UtilizationShapePoint(Integer utilization, Integer score) {
    }

    public record PodTopologySpreadArgs(String apiVersion, String kind, List<TopologySpreadConstraint> defaultConstraints,
            String defaultingType) {
    }

    public record InterPodAffinityArgs(String apiVersion, String kind, Integer hardPodAffinityWeight) {
    }

    public record NodeAffinityArgs(String apiVersion, String kind, NodeAffinity addedAffinity) {
    }
}
