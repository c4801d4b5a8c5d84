package dev.flotilla.scheduler.framework;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostFilter part of the failure message, in upstream DefaultPreemption's words: whether
 * evicting lower-priority pods could help on any node. Preemption itself is not implemented yet, so
 * a node where it could help keeps its filter reasons.
 */
public final class PreemptionDiagnosis {

    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";

    private PreemptionDiagnosis() {
    }

    public static String message(PodInfo pod, Diagnosis diagnosis, List<NodeInfo> nodes) {
        if ("Never".equals(pod.pod().getSpec().getPreemptionPolicy())) {
            return "preemption: not eligible due to preemptionPolicy=Never.";
        }
        List<FilterResult> results = new ArrayList<>();
        for (NodeInfo node : nodes) {
            FilterResult result = diagnosis.nodeResults().get(node.name());
            if (result == null) {
                continue;
            }
            if (result.code() == FilterResult.Code.UNRESOLVABLE) {
                results.add(FilterResult.unresolvable(NOT_HELPFUL));
            } else if (node.pods().stream().noneMatch(p -> p.priority() < pod.priority())) {
                results.add(FilterResult.unresolvable(NO_VICTIMS));
            } else {
                results.add(result);
            }
        }
        return "preemption: " + Diagnosis.nodesAvailable(results.size(), results);
    }
}
