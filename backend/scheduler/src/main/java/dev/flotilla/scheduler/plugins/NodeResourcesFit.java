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
 * LeastAllocated, the share of cpu and memory left free after placing the pod (non-zero requests).
 */
public final class NodeResourcesFit implements FilterPlugin, ScorePlugin {

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
        long cpu = leastAllocated(node.nonZeroRequested().milliCpu() + pod.nonZeroRequests().milliCpu(),
                node.allocatable().milliCpu());
        long memory = leastAllocated(node.nonZeroRequested().memory() + pod.nonZeroRequests().memory(),
                node.allocatable().memory());
        return (cpu + memory) / 2;
    }

    private static long leastAllocated(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        return (capacity - requested) * MAX_SCORE / capacity;
    }
}
