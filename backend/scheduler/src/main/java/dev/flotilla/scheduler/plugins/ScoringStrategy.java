package dev.flotilla.scheduler.plugins;

import dev.flotilla.scheduler.framework.ScorePlugin;
import java.util.List;

/**
 * How NodeResourcesFit ranks a node (upstream's {@code scoringStrategy}): for each configured
 * resource the share of the node's allocatable that would be requested once the pod is placed,
 * scored by the strategy and averaged with the resources' weights. Resources the node has none of
 * are left out of the average.
 */
public record ScoringStrategy(Type type, List<ResourceWeight> resources, ShapeFunction shape) {

    public enum Type { LeastAllocated, MostAllocated, RequestedToCapacityRatio }

    public record ResourceWeight(String name, long weight) {
    }

    public static final List<ResourceWeight> DEFAULT_RESOURCES =
            List.of(new ResourceWeight("cpu", 1), new ResourceWeight("memory", 1));

    public ScoringStrategy {
        resources = List.copyOf(resources);
        if (type == Type.RequestedToCapacityRatio && shape == null) {
            throw new IllegalArgumentException("RequestedToCapacityRatio needs a shape");
        }
    }

    /** Upstream's default: LeastAllocated over cpu and memory, weight 1 each. */
    public static ScoringStrategy leastAllocated() {
        return new ScoringStrategy(Type.LeastAllocated, DEFAULT_RESOURCES, null);
    }

    /** {@code requested[i]} and {@code allocatable[i]} are amounts of {@code resources().get(i)}; 0 allocatable skips it. */
    public long score(long[] requested, long[] allocatable) {
        long nodeScore = 0;
        long weightSum = 0;
        for (int i = 0; i < resources.size(); i++) {
            if (allocatable[i] == 0) {
                continue;
            }
            long weight = resources.get(i).weight();
            long resourceScore = switch (type) {
                case LeastAllocated -> leastRequested(requested[i], allocatable[i]);
                case MostAllocated -> mostRequested(requested[i], allocatable[i]);
                case RequestedToCapacityRatio -> shape.valueAt(utilization(requested[i], allocatable[i]));
            };
            // As upstream, RequestedToCapacityRatio leaves resources scoring 0 out of the average.
            if (type == Type.RequestedToCapacityRatio && resourceScore == 0) {
                continue;
            }
            nodeScore += resourceScore * weight;
            weightSum += weight;
        }
        if (weightSum == 0) {
            return 0;
        }
        return type == Type.RequestedToCapacityRatio ? Math.round((double) nodeScore / weightSum) : nodeScore / weightSum;
    }

    private static long leastRequested(long requested, long capacity) {
        if (requested > capacity) {
            return 0;
        }
        return (capacity - requested) * ScorePlugin.MAX_SCORE / capacity;
    }

    /** Requests can exceed capacity because pods without requests count as the non-zero defaults. */
    private static long mostRequested(long requested, long capacity) {
        return Math.min(requested, capacity) * ScorePlugin.MAX_SCORE / capacity;
    }

    /** 0..100; a request beyond capacity counts as full, as upstream. */
    private static long utilization(long requested, long capacity) {
        if (requested <= 0) {
            return 0;
        }
        if (requested >= capacity) {
            return ScorePlugin.MAX_SCORE;
        }
        return requested * ScorePlugin.MAX_SCORE / capacity;
    }
}
