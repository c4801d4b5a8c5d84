package dev.flotilla.scheduler.plugins;

import dev.flotilla.scheduler.cache.HostPort;
import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;

/** The host ports a pod asks for must be free on the node (same protocol and port, overlapping address). */
public final class NodePorts implements FilterPlugin {

    static final String REASON = "node(s) didn't have free ports for the requested pod ports";

    @Override
    public String name() {
        return "NodePorts";
    }

    @Override
    public FilterResult filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (pod.hostPorts().isEmpty()) {
            return FilterResult.FITS;
        }
        for (PodInfo other : node.pods()) {
            for (HostPort used : other.hostPorts()) {
                for (HostPort wanted : pod.hostPorts()) {
                    if (wanted.conflictsWith(used)) {
                        return FilterResult.unschedulable(REASON);
                    }
                }
            }
        }
        return FilterResult.FITS;
    }
}
