package dev.flotilla.scheduler.framework;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import java.util.List;

/**
 * Upstream's PreFilter: runs once per cycle over all nodes, writes what the plugin's Filter then
 * reads per node, and may reject the pod outright. A rejection makes every node fail with one
 * message, {@code 0/3 nodes are available: <reason>.}
 */
public interface PreFilterPlugin {

    /** {@link FilterResult#FITS} to go on to the per-node filters, or why no node can fit. */
    FilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes);
}
