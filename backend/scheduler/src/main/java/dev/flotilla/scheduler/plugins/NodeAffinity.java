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
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.List;
import java.util.Map;

/**
 * Filter: {@code spec.nodeSelector} and the required node affinity must both match, and so must the
 * profile's {@code addedAffinity} (upstream's NodeAffinityArgs). Score: the sum of the weights of
 * the preferred terms that match, the pod's and the added ones, scaled so the best node scores 100.
 */
public final class NodeAffinity implements FilterPlugin, ScorePlugin {

    static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    private final List<NodeSelectorTerm> addedRequired;
    private final List<PreferredSchedulingTerm> addedPreferred;

    public NodeAffinity() {
        this(null);
    }

    /** {@code addedAffinity} (may be null): node affinity every pod of the profile gets on top of its own. */
    public NodeAffinity(io.fabric8.kubernetes.api.model.NodeAffinity addedAffinity) {
        NodeSelector required = addedAffinity == null ? null : addedAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        this.addedRequired = required == null ? null : List.copyOf(required.getNodeSelectorTerms());
        this.addedPreferred = addedAffinity == null ? List.of()
                : List.copyOf(addedAffinity.getPreferredDuringSchedulingIgnoredDuringExecution());
    }

    @Override
    public String name() {
        return "NodeAffinity";
    }

    @Override
    public FilterResult filter(CycleState state, PodInfo pod, NodeInfo node) {
        boolean matches = matchesRequired(pod, node.node())
                && (addedRequired == null || NodeSelectorTerms.anyMatches(addedRequired, node.node()));
        return matches ? FilterResult.FITS : FilterResult.unresolvable(REASON);
    }

    static boolean matchesRequired(PodInfo pod, Node node) {
        return RequiredNodeAffinity.matches(pod.pod().getSpec(), node);
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Affinity affinity = pod.pod().getSpec().getAffinity();
        long total = sumOfMatching(addedPreferred, node.node());
        if (affinity == null || affinity.getNodeAffinity() == null) {
            return total;
        }
        return total + sumOfMatching(affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), node.node());
    }

    private static long sumOfMatching(List<PreferredSchedulingTerm> terms, Node node) {
        long total = 0;
        for (PreferredSchedulingTerm term : terms) {
            if (term.getWeight() != null && term.getWeight() != 0 && NodeSelectorTerms.matches(term.getPreference(), node)) {
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
