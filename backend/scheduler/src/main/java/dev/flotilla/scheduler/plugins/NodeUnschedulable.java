package dev.flotilla.scheduler.plugins;

import dev.flotilla.api.scheduling.Tolerations;
import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

/** A cordoned node ({@code spec.unschedulable}) takes only pods that tolerate its unschedulable taint. */
public final class NodeUnschedulable implements FilterPlugin {

    static final String REASON = "node(s) were unschedulable";
    private static final Taint UNSCHEDULABLE_TAINT = new TaintBuilder()
            .withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").build();

    @Override
    public String name() {
        return "NodeUnschedulable";
    }

    @Override
    public FilterResult filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (Boolean.TRUE.equals(node.node().getSpec().getUnschedulable())
                && !Tolerations.tolerates(pod.pod().getSpec().getTolerations(), UNSCHEDULABLE_TAINT)) {
            return FilterResult.unresolvable(REASON);
        }
        return FilterResult.FITS;
    }
}
