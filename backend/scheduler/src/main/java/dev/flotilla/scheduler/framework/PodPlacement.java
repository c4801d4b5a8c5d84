package dev.flotilla.scheduler.framework;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One scheduling decision, upstream's {@code schedulePod}: filter nodes starting where the last
 * search stopped until enough feasible ones are found (percentageOfNodesToScore, adaptive by
 * default), score those with every weighted plugin, and pick the best, ties broken at random.
 * Not thread-safe; the caller holds the cache still.
 */
public final class PodPlacement {

    /** The chosen node, or why there is none. */
    public record Result(String nodeName, Diagnosis diagnosis, int evaluatedNodes, int feasibleNodes) {

        public boolean scheduled() {
            return nodeName != null;
        }
    }

    private static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    private static final int MIN_FEASIBLE_NODES_PERCENTAGE = 5;

    private final Profile profile;
    private final int percentageOfNodesToScore;
    private int nextStartNodeIndex;

    /** {@code percentageOfNodesToScore} 0 means adaptive, as upstream's default. */
    public PodPlacement(Profile profile, int percentageOfNodesToScore) {
        this.profile = profile;
        this.percentageOfNodesToScore = percentageOfNodesToScore;
    }

    public Profile profile() {
        return profile;
    }

    public Result place(PodInfo pod, List<NodeInfo> nodes) {
        Diagnosis diagnosis = new Diagnosis(nodes.size());
        if (nodes.isEmpty()) {
            return new Result(null, diagnosis, 0, 0);
        }
        CycleState state = new CycleState();
        FilterResult rejected = preFilter(state, pod, nodes);
        if (!rejected.fits()) {
            diagnosis.setPreFilterMessage(String.join(", ", rejected.reasons()));
            FilterResult everyNode = new FilterResult(rejected.code(), List.of());
            nodes.forEach(node -> diagnosis.record(node.name(), everyNode));
            return new Result(null, diagnosis, 0, 0);
        }
        NodeInfo nominated = nominatedNode(pod, nodes);
        if (nominated != null && filter(state, pod, nominated).fits()) {
            // As upstream, a pod that preempted goes to its nominated node once that fits.
            return new Result(nominated.name(), diagnosis, 1, 1);
        }
        int wanted = feasibleNodesToFind(nodes.size());
        List<NodeInfo> feasible = new ArrayList<>(Math.min(wanted, nodes.size()));
        int evaluated = 0;
        int start = nextStartNodeIndex % nodes.size();
        for (int i = 0; i < nodes.size() && feasible.size() < wanted; i++) {
            NodeInfo node = nodes.get((start + i) % nodes.size());
            evaluated++;
            FilterResult result = filter(state, pod, node);
            if (result.fits()) {
                feasible.add(node);
            } else {
                diagnosis.record(node.name(), result);
            }
        }
        nextStartNodeIndex = (start + evaluated) % nodes.size();
        if (feasible.isEmpty()) {
            return new Result(null, diagnosis, evaluated, 0);
        }
        return new Result(best(state, pod, feasible, nodes), diagnosis, evaluated, feasible.size());
    }

    /**
     * The PostFilter plugins' verdict after {@code diagnosis} found no node: the first that
     * nominates a node wins; otherwise the last one's message.
     */
    public PostFilterResult postFilter(PodInfo pod, Diagnosis diagnosis, List<NodeInfo> nodes) {
        PostFilterResult result = PostFilterResult.failed(null, "");
        for (PostFilterPlugin plugin : profile.postFilters()) {
            result = plugin.postFilter(pod, diagnosis, nodes, this);
            if (result.nominates()) {
                return result;
            }
        }
        return result;
    }

    /**
     * {@code pod}'s filter result on {@code node} when the cluster is {@code nodes} (which holds
     * {@code node}, e.g. a copy with some pods removed): PreFilter is run afresh over them.
     */
    public FilterResult filterOn(PodInfo pod, List<NodeInfo> nodes, NodeInfo node) {
        CycleState state = new CycleState();
        FilterResult rejected = preFilter(state, pod, nodes);
        return rejected.fits() ? filter(state, pod, node) : rejected;
    }

    /** Every PreFilter in turn; the first rejection ends the cycle, as upstream. */
    private FilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        for (FilterPlugin plugin : profile.filters()) {
            if (plugin instanceof PreFilterPlugin pre) {
                FilterResult result = pre.preFilter(state, pod, nodes);
                if (!result.fits()) {
                    return result;
                }
            }
        }
        return FilterResult.FITS;
    }

    private static NodeInfo nominatedNode(PodInfo pod, List<NodeInfo> nodes) {
        String name = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
        if (name == null || name.isEmpty()) {
            return null;
        }
        for (NodeInfo node : nodes) {
            if (node.name().equals(name)) {
                return node;
            }
        }
        return null;
    }

    /**
     * The first failing filter's result for {@code pod} on {@code node}, as upstream stops there.
     * Pods nominated to the node with at least this pod's priority count as if already there (as
     * upstream's two-pass filter; PreFilter state is not updated for them).
     */
    public FilterResult filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (!node.nominatedPods().isEmpty()) {
            List<PodInfo> withNominated = new ArrayList<>(node.pods());
            for (PodInfo nominated : node.nominatedPods()) {
                if (nominated.priority() >= pod.priority() && !nominated.key().equals(pod.key())) {
                    withNominated.add(nominated);
                }
            }
            if (withNominated.size() > node.pods().size()) {
                FilterResult reserved = runFilters(state, pod, node.withPods(withNominated));
                if (!reserved.fits()) {
                    return reserved;
                }
            }
        }
        return runFilters(state, pod, node);
    }

    private FilterResult runFilters(CycleState state, PodInfo pod, NodeInfo node) {
        for (FilterPlugin plugin : profile.filters()) {
            FilterResult result = plugin.filter(state, pod, node);
            if (!result.fits()) {
                return result;
            }
        }
        return FilterResult.FITS;
    }

    int feasibleNodesToFind(int allNodes) {
        if (allNodes < MIN_FEASIBLE_NODES_TO_FIND || percentageOfNodesToScore >= 100) {
            return allNodes;
        }
        int percentage = percentageOfNodesToScore;
        if (percentage <= 0) {
            percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - allNodes / 125);
        }
        return Math.max(MIN_FEASIBLE_NODES_TO_FIND, allNodes * percentage / 100);
    }

    private String best(CycleState state, PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> allNodes) {
        if (feasible.size() == 1) {
            return feasible.get(0).name();
        }
        for (WeightedScore weighted : profile.scores()) {
            if (weighted.plugin() instanceof PreScorePlugin pre) {
                pre.preScore(state, pod, feasible, allNodes);
            }
        }
        long[] totals = new long[feasible.size()];
        for (WeightedScore weighted : profile.scores()) {
            long[] scores = new long[feasible.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = weighted.plugin().score(state, pod, feasible.get(i));
            }
            weighted.plugin().normalize(scores);
            for (int i = 0; i < scores.length; i++) {
                totals[i] += scores[i] * weighted.weight();
            }
        }
        int chosen = 0;
        int ties = 1;
        for (int i = 1; i < totals.length; i++) {
            if (totals[i] > totals[chosen]) {
                chosen = i;
                ties = 1;
            } else if (totals[i] == totals[chosen] && ThreadLocalRandom.current().nextInt(++ties) == 0) {
                chosen = i;
            }
        }
        return feasible.get(chosen).name();
    }
}
