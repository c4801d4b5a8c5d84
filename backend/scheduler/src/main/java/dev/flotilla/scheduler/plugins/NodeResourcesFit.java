package dev.flotilla.scheduler.plugins;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.cache.Resources;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;
import dev.flotilla.scheduler.framework.ScorePlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Filter: the node's allocatable minus what its pods request must cover the pod's requests (pod
 * count, cpu, memory, ephemeral storage, extended resources); every shortfall is a reason. Score:
 * the configured {@link ScoringStrategy} (LeastAllocated over cpu and memory by default) over the
 * node's requests after placing the pod; cpu and memory count pods without requests at upstream's
 * non-zero defaults, and an extended resource the pod does not request is not scored.
 */
public final class NodeResourcesFit implements FilterPlugin, ScorePlugin {

    private final ScoringStrategy scoring;

    public NodeResourcesFit() {
        this(ScoringStrategy.leastAllocated());
    }

    public NodeResourcesFit(ScoringStrategy scoring) {
        this.scoring = scoring;
    }

    @Override
    public String name() {
        return "NodeResourcesFit";
    }

    @Override
    public FilterResult filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<String> reasons = new ArrayList<>();
        Resources want = pod.requests();
        Resources free = node.allocatable();
        Resources used = node.requested();
        if (node.pods().size() + 1 > free.pods()) {
            reasons.add("Too many pods");
        }
        if (want.milliCpu() > 0 && want.milliCpu() > free.milliCpu() - used.milliCpu()) {
            reasons.add("Insufficient " + Resources.CPU);
        }
        if (want.memory() > 0 && want.memory() > free.memory() - used.memory()) {
            reasons.add("Insufficient " + Resources.MEMORY);
        }
        if (want.ephemeralStorage() > 0 && want.ephemeralStorage() > free.ephemeralStorage() - used.ephemeralStorage()) {
            reasons.add("Insufficient " + Resources.EPHEMERAL_STORAGE);
        }
        Map<String, Long> extended = want.extended().isEmpty() ? Map.of() : new TreeMap<>(want.extended());
        for (Map.Entry<String, Long> entry : extended.entrySet()) {
            long requested = entry.getValue();
            long available = free.extended().getOrDefault(entry.getKey(), 0L) - used.extended().getOrDefault(entry.getKey(), 0L);
            if (requested > 0 && requested > available) {
                reasons.add("Insufficient " + entry.getKey());
            }
        }
        return reasons.isEmpty() ? FilterResult.FITS : FilterResult.unschedulable(reasons.toArray(String[]::new));
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        List<ScoringStrategy.ResourceWeight> resources = scoring.resources();
        long[] requested = new long[resources.size()];
        long[] allocatable = new long[resources.size()];
        for (int i = 0; i < requested.length; i++) {
            String name = resources.get(i).name();
            boolean nonZero = Resources.CPU.equals(name) || Resources.MEMORY.equals(name);
            long podRequest = nonZero ? pod.nonZeroRequests().amount(name) : pod.requests().amount(name);
            if (podRequest == 0 && Resources.isScalar(name)) {
                continue;
            }
            allocatable[i] = node.allocatable().amount(name);
            requested[i] = (nonZero ? node.nonZeroRequested() : node.requested()).amount(name) + podRequest;
        }
        return scoring.score(requested, allocatable);
    }
}
