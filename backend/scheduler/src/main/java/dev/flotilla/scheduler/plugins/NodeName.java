package dev.flotilla.scheduler.plugins;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;

/** A pod that names a node in {@code spec.nodeName} fits only there. */
public final class NodeName implements FilterPlugin {

    static final String REASON = "node(s) didn't match the requested node name";

    @Override
    public String name() {
        return "NodeName";
    }

    @Override
    public FilterResult filter(CycleState state, PodInfo pod, NodeInfo node) {
        String wanted = pod.pod().getSpec().getNodeName();
        if (wanted != null && !wanted.isEmpty() && !wanted.equals(node.name())) {
            return FilterResult.unresolvable(REASON);
        }
        return FilterResult.FITS;
    }
}
