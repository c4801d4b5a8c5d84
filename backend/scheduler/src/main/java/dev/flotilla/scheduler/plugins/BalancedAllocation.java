package dev.flotilla.scheduler.plugins;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.ScorePlugin;

/**
 * NodeResourcesBalancedAllocation: favours nodes whose cpu and memory would be used in equal shares
 * after placing the pod (100 × (1 − standard deviation of the two fractions)). Pods that request
 * nothing are not scored, as upstream skips them.
 */
public final class BalancedAllocation implements ScorePlugin {

    @Override
    public String name() {
        return "NodeResourcesBalancedAllocation";
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        if (pod.requests().milliCpu() == 0 && pod.requests().memory() == 0) {
            return 0;
        }
        long cpuCapacity = node.allocatable().milliCpu();
        long memoryCapacity = node.allocatable().memory();
        if (cpuCapacity == 0 || memoryCapacity == 0) {
            return 0;
        }
        double cpu = Math.min(1.0, (double) (node.requested().milliCpu() + pod.requests().milliCpu()) / cpuCapacity);
        double memory = Math.min(1.0, (double) (node.requested().memory() + pod.requests().memory()) / memoryCapacity);
        double deviation = Math.abs(cpu - memory) / 2;
        return (long) ((1 - deviation) * MAX_SCORE);
    }
}
