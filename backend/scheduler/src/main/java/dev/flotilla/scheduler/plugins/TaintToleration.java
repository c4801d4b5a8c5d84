package dev.flotilla.scheduler.plugins;

import dev.flotilla.api.scheduling.Tolerations;
import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;
import dev.flotilla.scheduler.framework.ScorePlugin;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/**
 * Filter: the pod must tolerate every NoSchedule and NoExecute taint. Score: fewer untolerated
 * PreferNoSchedule taints rank higher.
 */
public final class TaintToleration implements FilterPlugin, ScorePlugin {

    @Override
    public String name() {
        return "TaintToleration";
    }

    @Override
    public FilterResult filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<Toleration> tolerations = pod.pod().getSpec().getTolerations();
        for (Taint taint : node.node().getSpec().getTaints()) {
            boolean hard = "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
            if (hard && !Tolerations.tolerates(tolerations, taint)) {
                return FilterResult.unresolvable("node(s) had untolerated taint {" + taint.getKey() + ": "
                        + (taint.getValue() == null ? "" : taint.getValue()) + "}");
            }
        }
        return FilterResult.FITS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        if (node.node().getSpec().getTaints().isEmpty()) {
            return 0;
        }
        List<Toleration> preferNoSchedule = pod.pod().getSpec().getTolerations().stream()
                .filter(t -> t.getEffect() == null || t.getEffect().isEmpty() || "PreferNoSchedule".equals(t.getEffect()))
                .toList();
        long untolerated = 0;
        for (Taint taint : node.node().getSpec().getTaints()) {
            if ("PreferNoSchedule".equals(taint.getEffect()) && !Tolerations.tolerates(preferNoSchedule, taint)) {
                untolerated++;
            }
        }
        return untolerated;
    }

    @Override
    public void normalize(long[] scores) {
        ScorePlugin.scaleToMax(scores, true);
    }
}
