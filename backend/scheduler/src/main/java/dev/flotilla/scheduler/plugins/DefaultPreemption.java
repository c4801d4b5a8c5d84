package dev.flotilla.scheduler.plugins;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.Diagnosis;
import dev.flotilla.scheduler.framework.FilterResult;
import dev.flotilla.scheduler.framework.PodPlacement;
import dev.flotilla.scheduler.framework.PostFilterPlugin;
import dev.flotilla.scheduler.framework.PostFilterResult;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Preemption, as upstream's DefaultPreemption PostFilter. On each node that failed only for
 * reasons other pods cause, remove every lower-priority pod; if the pod then fits, put victims back
 * one at a time, most important first and PodDisruptionBudget-protected ones before the others,
 * keeping each that still leaves room. Of the nodes where this works pick the one with the fewest
 * PDB violations, then the lowest highest victim priority, the lowest priority sum, the fewest
 * victims, the latest start of the most important victims. Otherwise explain per node, in
 * upstream's words.
 */
public final class DefaultPreemption implements PostFilterPlugin {

    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    static final String NEVER = "not eligible due to preemptionPolicy=Never.";
    static final String TERMINATING_ON_NOMINATED = "not eligible due to a terminating pod on the nominated node.";

    private record Candidate(NodeInfo node, List<PodInfo> victims, int pdbViolations) {
    }

    /** A victim, or a reprieve refused: the first failing filter for the pod on the node. */
    private record Selection(Candidate candidate, FilterResult failure) {
    }

    private final Function<String, List<PodDisruptionBudget>> disruptionBudgets;

    /** {@code disruptionBudgets}: the PodDisruptionBudgets of a namespace. */
    public DefaultPreemption(Function<String, List<PodDisruptionBudget>> disruptionBudgets) {
        this.disruptionBudgets = disruptionBudgets;
    }

    @Override
    public PostFilterResult postFilter(PodInfo pod, Diagnosis diagnosis, List<NodeInfo> nodes, PodPlacement placement) {
        if ("Never".equals(pod.pod().getSpec().getPreemptionPolicy())) {
            return PostFilterResult.failed(null, "preemption: " + NEVER);
        }
        if (terminatingVictimOnNominatedNode(pod, nodes)) {
            return PostFilterResult.failed(null, "preemption: " + TERMINATING_ON_NOMINATED);
        }
        List<FilterResult> outcomes = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeInfo node = nodes.get(i);
            FilterResult result = diagnosis.nodeResults().get(node.name());
            if (result == null || result.code() != FilterResult.Code.UNSCHEDULABLE) {
                outcomes.add(FilterResult.unresolvable(NOT_HELPFUL));
                continue;
            }
            Selection selection = selectVictims(pod, nodes, i, placement);
            if (selection.candidate() != null) {
                candidates.add(selection.candidate());
            } else {
                outcomes.add(selection.failure());
            }
        }
        if (candidates.isEmpty()) {
            return PostFilterResult.failed("", "preemption: " + Diagnosis.nodesAvailable(nodes.size(), outcomes));
        }
        // A node that needs no victims after all (the cluster changed since filtering) wins outright, as upstream.
        Candidate best = candidates.stream().filter(c -> c.victims().isEmpty()).findFirst()
                .orElseGet(() -> candidates.stream().min(BEST_CANDIDATE_FIRST).orElseThrow());
        return PostFilterResult.nominated(best.node().name(), best.victims());
    }

    /** A pod that already preempted waits while lower-priority pods on its nominated node are still terminating. */
    private static boolean terminatingVictimOnNominatedNode(PodInfo pod, List<NodeInfo> nodes) {
        String nominated = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
        if (nominated == null || nominated.isEmpty()) {
            return false;
        }
        return nodes.stream().filter(n -> n.name().equals(nominated)).flatMap(n -> n.pods().stream())
                .anyMatch(p -> p.priority() < pod.priority() && p.pod().getMetadata().getDeletionTimestamp() != null);
    }

    private Selection selectVictims(PodInfo pod, List<NodeInfo> nodes, int index, PodPlacement placement) {
        NodeInfo node = nodes.get(index);
        List<PodInfo> remaining = new ArrayList<>();
        List<PodInfo> potential = new ArrayList<>();
        for (PodInfo existing : node.pods()) {
            (existing.priority() < pod.priority() ? potential : remaining).add(existing);
        }
        if (potential.isEmpty()) {
            return new Selection(null, FilterResult.unresolvable(NO_VICTIMS));
        }
        FilterResult withoutAll = fitsWith(pod, nodes, index, remaining, placement);
        if (!withoutAll.fits()) {
            return new Selection(null, withoutAll);
        }
        potential.sort(MORE_IMPORTANT_FIRST);
        Map<Boolean, List<PodInfo>> byViolation = splitByBudgetViolation(potential);
        List<PodInfo> victims = new ArrayList<>();
        int violations = 0;
        for (boolean violating : new boolean[] {true, false}) {
            for (PodInfo candidate : byViolation.get(violating)) {
                remaining.add(candidate);
                if (!fitsWith(pod, nodes, index, remaining, placement).fits()) {
                    remaining.remove(remaining.size() - 1);
                    victims.add(candidate);
                    if (violating) {
                        violations++;
                    }
                }
            }
        }
        victims.sort(MORE_IMPORTANT_FIRST);
        return new Selection(new Candidate(node, victims, violations), null);
    }

    private static FilterResult fitsWith(PodInfo pod, List<NodeInfo> nodes, int index, List<PodInfo> kept,
            PodPlacement placement) {
        NodeInfo hypothetical = nodes.get(index).withPods(kept);
        List<NodeInfo> cluster = new ArrayList<>(nodes);
        cluster.set(index, hypothetical);
        return placement.filterOn(pod, cluster, hypothetical);
    }

    /** As upstream's filterPodsWithPDBViolation: evicting a pod violates a budget once its disruptionsAllowed run out. */
    private Map<Boolean, List<PodInfo>> splitByBudgetViolation(List<PodInfo> pods) {
        Map<Boolean, List<PodInfo>> split = new HashMap<>(Map.of(true, new ArrayList<>(), false, new ArrayList<>()));
        Map<String, Integer> allowed = new HashMap<>();
        for (PodInfo info : pods) {
            Pod pod = info.pod();
            Map<String, String> labels = pod.getMetadata().getLabels();
            boolean violated = false;
            if (labels != null && !labels.isEmpty()) {
                for (PodDisruptionBudget budget : disruptionBudgets.apply(pod.getMetadata().getNamespace())) {
                    LabelSelector selector = LabelSelector.fromMetaV1(budget.getSpec().getSelector());
                    if (selector.isEmpty() || !selector.matches(labels)) {
                        continue;
                    }
                    Map<String, String> disrupted = budget.getStatus() == null ? null : budget.getStatus().getDisruptedPods();
                    if (disrupted != null && disrupted.containsKey(pod.getMetadata().getName())) {
                        continue;
                    }
                    String key = budget.getMetadata().getNamespace() + "/" + budget.getMetadata().getName();
                    int left = allowed.merge(key, disruptionsAllowed(budget) - 1, (current, ignored) -> current - 1);
                    if (left < 0) {
                        violated = true;
                    }
                }
            }
            split.get(violated).add(info);
        }
        return split;
    }

    private static int disruptionsAllowed(PodDisruptionBudget budget) {
        return budget.getStatus() == null || budget.getStatus().getDisruptionsAllowed() == null
                ? 0 : budget.getStatus().getDisruptionsAllowed();
    }

    /** Upstream's MoreImportantPod: higher priority, then started earlier. */
    static final Comparator<PodInfo> MORE_IMPORTANT_FIRST = Comparator.comparingInt(PodInfo::priority).reversed()
            .thenComparing(DefaultPreemption::startTime);

    private static final Comparator<Candidate> BEST_CANDIDATE_FIRST = Comparator
            .comparingInt(Candidate::pdbViolations)
            .thenComparingInt(c -> c.victims().get(0).priority())
            .thenComparingLong(c -> c.victims().stream().mapToLong(v -> (long) v.priority() + Integer.MAX_VALUE + 1).sum())
            .thenComparingInt(c -> c.victims().size())
            .thenComparing(DefaultPreemption::earliestStartOfMostImportant, Comparator.reverseOrder());

    private static Instant earliestStartOfMostImportant(Candidate candidate) {
        int top = candidate.victims().get(0).priority();
        return candidate.victims().stream().filter(v -> v.priority() == top).map(DefaultPreemption::startTime)
                .min(Comparator.naturalOrder()).orElseThrow();
    }

    /** {@code status.startTime}; a pod that has not started counts as starting now, as upstream. */
    private static Instant startTime(PodInfo pod) {
        String start = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getStartTime();
        return start == null || start.isEmpty() ? Instant.now() : Instant.parse(start);
    }
}
