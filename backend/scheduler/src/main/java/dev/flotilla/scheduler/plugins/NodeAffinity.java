package dev.flotilla.scheduler.plugins;

import dev.flotilla.api.scheduling.NodeSelectorTerms;
import dev.flotilla.api.scheduling.RequiredNodeAffinity;
import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;
import dev.flotilla.scheduler.framework.ScorePlugin;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.Map;

/**
 * Filter: {@code spec.nodeSelector} and the required node affinity must both match. Score: the sum
 * of the weights of the preferred terms that match, scaled so the best node scores 100.
 */
public final class NodeAffinity implements FilterPlugin, ScorePlugin {

    static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public String name() {
        return "NodeAffinity";
    }

    @Override
    public FilterResult filter(CycleState state, PodInfo pod, NodeInfo node) {
        return matchesRequired(pod, node.node()) ? FilterResult.FITS : FilterResult.unresolvable(REASON);
    }

    static boolean matchesRequired(PodInfo pod, Node node) {
        return RequiredNodeAffinity.matches(pod.pod().getSpec(), node);
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Affinity affinity = pod.pod().getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null) {
            return 0;
        }
        long total = 0;
        for (PreferredSchedulingTerm term : affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()) {
            if (term.getWeight() != null && term.getWeight() != 0 && NodeSelectorTerms.matches(term.getPreference(), node.node())) {
                total += term.getWeight();
            }
        }
        return total;
    }

    @Override
    public void normalize(long[] scores) {
        ScorePlugin.scaleToMax(scores, false);
    }
}
