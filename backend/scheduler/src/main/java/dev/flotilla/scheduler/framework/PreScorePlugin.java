package dev.flotilla.scheduler.framework;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import java.util.List;

/** Computes, once per cycle, what the plugin's Score then reads per feasible node (upstream's PreScore). */
public interface PreScorePlugin {

    void preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, List<NodeInfo> allNodes);
}
