package dev.flotilla.scheduler.framework;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import java.util.List;

/** Computes, once per cycle over all nodes, what the plugin's Filter then reads per node (upstream's PreFilter). */
public interface PreFilterPlugin {

    void preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes);
}
