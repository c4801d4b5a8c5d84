package dev.flotilla.scheduler.cache;

import dev.flotilla.api.scheduling.RequiredNodeAffinity;
import dev.flotilla.api.scheduling.Tolerations;
import dev.flotilla.api.selector.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A topology spread constraint as the scheduler evaluates it (upstream's topologySpreadConstraint):
 * the label selector with matchLabelKeys merged in from the owner pod's labels, minDomains (1 when
 * unset) and the node inclusion policies (nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore when unset).
 */
public record SpreadConstraint(int maxSkew, String topologyKey, boolean hard, LabelSelector selector, int minDomains,
        boolean honorNodeAffinity, boolean honorNodeTaints) {

    public static final String HOSTNAME = "kubernetes.io/hostname";
    public static final String ZONE = "topology.kubernetes.io/zone";
    private static final String HONOR = "Honor";

    /** Upstream's system default constraints, without selectors (PodTopologySpreadArgs defaultingType System). */
    public static final List<TopologySpreadConstraint> SYSTEM_DEFAULTS = List.of(
            new TopologySpreadConstraintBuilder().withMaxSkew(3).withTopologyKey(HOSTNAME)
                    .withWhenUnsatisfiable("ScheduleAnyway").build(),
            new TopologySpreadConstraintBuilder().withMaxSkew(5).withTopologyKey(ZONE)
                    .withWhenUnsatisfiable("ScheduleAnyway").build());

    static SpreadConstraint of(Pod owner, TopologySpreadConstraint constraint) {
        LabelSelector selector = MatchLabelKeys.merge(LabelSelector.fromMetaV1(constraint.getLabelSelector()),
                owner.getMetadata().getLabels(), constraint.getMatchLabelKeys(), List.of());
        return defaulted(constraint, selector);
    }

    /** A cluster-level default constraint (which has no selector of its own) over {@code selector}. */
    public static SpreadConstraint defaulted(TopologySpreadConstraint constraint, LabelSelector selector) {
        return new SpreadConstraint(constraint.getMaxSkew() == null ? 1 : constraint.getMaxSkew(),
                constraint.getTopologyKey(), !"ScheduleAnyway".equals(constraint.getWhenUnsatisfiable()), selector,
                constraint.getMinDomains() == null ? 1 : constraint.getMinDomains(),
                !"Ignore".equals(constraint.getNodeAffinityPolicy()), HONOR.equals(constraint.getNodeTaintsPolicy()));
    }

    /** Whether pods on {@code node} count for this constraint of {@code pod}, by its inclusion policies. */
    public boolean includes(Pod pod, Node node) {
        if (honorNodeAffinity && !RequiredNodeAffinity.matches(pod.getSpec(), node)) {
            return false;
        }
        if (honorNodeTaints) {
            for (Taint taint : node.getSpec().getTaints()) {
                boolean hardTaint = "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
                if (hardTaint && !Tolerations.tolerates(pod.getSpec().getTolerations(), taint)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Pods in {@code namespace} this constraint selects, terminating ones left out; an empty selector counts none, as upstream. */
    public int countMatching(Collection<PodInfo> pods, String namespace) {
        if (selector.isEmpty() || selector.matchesNothing()) {
            return 0;
        }
        int count = 0;
        for (PodInfo pod : pods) {
            Pod existing = pod.pod();
            if (existing.getMetadata().getDeletionTimestamp() == null && namespace.equals(existing.getMetadata().getNamespace())
                    && selector.matches(existing.getMetadata().getLabels())) {
                count++;
            }
        }
        return count;
    }

    /** Whether the node has every topology key of {@code constraints}. */
    public static boolean nodeHasAllKeys(Map<String, String> nodeLabels, List<SpreadConstraint> constraints) {
        for (SpreadConstraint constraint : constraints) {
            if (!nodeLabels.containsKey(constraint.topologyKey())) {
                return false;
            }
        }
        return true;
    }
}
