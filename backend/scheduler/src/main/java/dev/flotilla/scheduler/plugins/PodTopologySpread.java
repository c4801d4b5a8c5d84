package dev.flotilla.scheduler.plugins;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.api.scheduling.RequiredNodeAffinity;
import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.NodeInfoList;
import dev.flotilla.scheduler.cache.PodIndex;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.cache.PodQuery;
import dev.flotilla.scheduler.cache.SpreadConstraint;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;
import dev.flotilla.scheduler.framework.PreFilterPlugin;
import dev.flotilla.scheduler.framework.PreScorePlugin;
import dev.flotilla.scheduler.framework.ScorePlugin;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Topology spread, as upstream's PodTopologySpread. PreFilter counts, per DoNotSchedule constraint,
 * the matching pods in each domain (topology value) of the nodes that have every constraint's key
 * and pass its inclusion policies; Filter then allows a node while {@code matching in its domain +
 * (1 if the pod matches itself) - global minimum <= maxSkew}, the minimum taken as 0 while there
 * are fewer domains than minDomains. Score (PreScore) ranks by ScheduleAnyway constraints: fewer
 * matching pods in the node's domains rank higher, weighted by log(domains + 2). A pod without
 * constraints of its own that a Service, ReplicationController, ReplicaSet or StatefulSet selects
 * gets the cluster-level default constraints over their selector: the system defaults (hostname
 * maxSkew 3, zone maxSkew 5, ScheduleAnyway) unless the profile lists its own
 * ({@code defaultingType: List}), whose DoNotSchedule ones also filter.
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {

    static final String NAME = "PodTopologySpread";
    static final String CONSTRAINTS_REASON = "node(s) didn't match pod topology spread constraints";
    static final String MISSING_LABEL_REASON = CONSTRAINTS_REASON + " (missing required label)";
    /** What Score returns for a node that lacks a topology key, so that normalize scores it 0. */
    private static final long IGNORED = -1;

    /**
     * One constraint's matching pods per domain (a domain without any may be absent), how many
     * domains there are, and the global minimum as Filter uses it (0 below minDomains).
     */
    private record DomainCounts(Map<String, Integer> matching, int domains, int minimum) {

        static DomainCounts of(Map<String, Integer> matching, int domains, int minDomains) {
            int min = matching.size() < domains ? 0 : Integer.MAX_VALUE;
            for (int count : matching.values()) {
                min = Math.min(min, count);
            }
            return new DomainCounts(matching, domains, domains < minDomains ? 0 : min);
        }
    }

    /** {@code selfMatch[i]}: 1 when constraint i's selector matches the incoming pod itself. */
    private record FilterState(List<SpreadConstraint> constraints, List<DomainCounts> counts, int[] selfMatch) {
    }

    private static final FilterResult MISSING_LABEL = FilterResult.unresolvable(MISSING_LABEL_REASON);
    private static final FilterResult SKEWED = FilterResult.unschedulable(CONSTRAINTS_REASON);

    private record ScoreState(List<SpreadConstraint> constraints, List<Map<String, long[]>> counts, double[] weights,
            Set<String> ignoredNodes) {
    }

    private final Function<Pod, LabelSelector> ownerSelector;
    private final List<TopologySpreadConstraint> defaultConstraints;
    private final boolean systemDefaulted;
    private final boolean hardDefaults;

    /**
     * {@code ownerSelector}: the merged selector of the Services, ReplicationController, ReplicaSet
     * and StatefulSet that select a pod (upstream's DefaultSelector), empty when none.
     */
    public PodTopologySpread(Function<Pod, LabelSelector> ownerSelector) {
        this(ownerSelector, SpreadConstraint.SYSTEM_DEFAULTS, true);
    }

    /**
     * {@code defaultConstraints} (without selectors) for pods with none of their own, upstream's
     * PodTopologySpreadArgs; {@code systemDefaulted} when they are the system defaults, for which a
     * node may lack their topology keys and still be scored.
     */
    public PodTopologySpread(Function<Pod, LabelSelector> ownerSelector, List<TopologySpreadConstraint> defaultConstraints,
            boolean systemDefaulted) {
        this.ownerSelector = ownerSelector;
        this.defaultConstraints = List.copyOf(defaultConstraints);
        this.systemDefaulted = systemDefaulted;
        this.hardDefaults = defaultConstraints.stream().anyMatch(c -> !"ScheduleAnyway".equals(c.getWhenUnsatisfiable()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes) {
        List<SpreadConstraint> constraints = hardConstraints(pod);
        if (constraints.isEmpty()) {
            return FilterResult.FITS;
        }
        List<DomainCounts> counts = countsEverywhere(pod, constraints, NodeInfoList.of(allNodes));
        if (counts == null) {
            counts = countsPerNode(pod, constraints, allNodes);
        }
        Map<String, String> podLabels = pod.pod().getMetadata().getLabels();
        int[] selfMatch = new int[constraints.size()];
        for (int i = 0; i < constraints.size(); i++) {
            selfMatch[i] = constraints.get(i).selector().matches(podLabels) ? 1 : 0;
        }
        state.write(NAME, new FilterState(constraints, counts, selfMatch));
        return FilterResult.FITS;
    }

    /**
     * The matching pods per domain from the cache's index, when every node counts for every
     * constraint: each node has every key, and neither inclusion policy leaves a node out (the pod
     * has no required node affinity to honour, taints are ignored). Null otherwise.
     */
    private static List<DomainCounts> countsEverywhere(PodInfo pod, List<SpreadConstraint> constraints,
            NodeInfoList nodes) {
        PodIndex index = nodes.index();
        boolean everyNode = RequiredNodeAffinity.selectsEveryNode(pod.pod().getSpec());
        for (SpreadConstraint constraint : constraints) {
            if ((constraint.honorNodeAffinity() && !everyNode) || constraint.honorNodeTaints()
                    || !index.everyNodeHas(constraint.topologyKey())) {
                return null;
            }
        }
        String namespace = pod.pod().getMetadata().getNamespace();
        List<DomainCounts> counts = new ArrayList<>();
        for (SpreadConstraint constraint : constraints) {
            Map<String, Integer> matching = constraint.selector().isEmpty() || constraint.selector().matchesNothing()
                    ? Map.of() : index.matching(PodQuery.of(constraint, namespace));
            counts.add(DomainCounts.of(matching, index.labelValues(constraint.topologyKey()).size(), constraint.minDomains()));
        }
        return counts;
    }

    /** Every node's matching pods counted into its domain, for nodes that pass the constraints' inclusion policies. */
    private static List<DomainCounts> countsPerNode(PodInfo pod, List<SpreadConstraint> constraints,
            List<NodeInfo> allNodes) {
        String namespace = pod.pod().getMetadata().getNamespace();
        List<Map<String, Integer>> matchNum = new ArrayList<>();
        constraints.forEach(c -> matchNum.add(new HashMap<>()));
        for (NodeInfo node : allNodes) {
            Map<String, String> labels = labels(node);
            if (!SpreadConstraint.nodeHasAllKeys(labels, constraints)) {
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint constraint = constraints.get(i);
                if (constraint.includes(pod.pod(), node.node())) {
                    matchNum.get(i).merge(labels.get(constraint.topologyKey()),
                            constraint.countMatching(node.pods(), namespace), Integer::sum);
                }
            }
        }
        List<DomainCounts> counts = new ArrayList<>();
        for (int i = 0; i < constraints.size(); i++) {
            counts.add(DomainCounts.of(matchNum.get(i), matchNum.get(i).size(), constraints.get(i).minDomains()));
        }
        return counts;
    }

    @Override
    public FilterResult filter(CycleState cycle, PodInfo pod, NodeInfo node) {
        FilterState state = cycle.read(NAME);
        if (state == null) {
            return FilterResult.FITS;
        }
        Map<String, String> labels = labels(node);
        for (int i = 0; i < state.constraints().size(); i++) {
            SpreadConstraint constraint = state.constraints().get(i);
            String value = labels.get(constraint.topologyKey());
            if (value == null) {
                return MISSING_LABEL;
            }
            DomainCounts counts = state.counts().get(i);
            long skew = counts.matching().getOrDefault(value, 0) + state.selfMatch()[i] - (long) counts.minimum();
            if (skew > constraint.maxSkew()) {
                return SKEWED;
            }
        }
        return FilterResult.FITS;
    }

    @Override
    public void preScore(CycleState cycle, PodInfo pod, List<NodeInfo> feasibleNodes, List<NodeInfo> allNodes) {
        boolean ownConstraints = hasOwnConstraints(pod);
        List<SpreadConstraint> constraints = ownConstraints ? pod.softSpreadConstraints() : defaultConstraints(pod, false);
        if (constraints.isEmpty()) {
            return;
        }
        // As upstream, nodes need every topology key except for the system defaults.
        boolean requireAllKeys = ownConstraints || !systemDefaulted;
        Set<String> ignored = new HashSet<>();
        List<Map<String, long[]>> counts = new ArrayList<>();
        constraints.forEach(c -> counts.add(new HashMap<>()));
        for (NodeInfo node : feasibleNodes) {
            Map<String, String> labels = labels(node);
            if (requireAllKeys && !SpreadConstraint.nodeHasAllKeys(labels, constraints)) {
                ignored.add(node.name());
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                String value = labels.get(constraints.get(i).topologyKey());
                if (!SpreadConstraint.HOSTNAME.equals(constraints.get(i).topologyKey()) && value != null) {
                    counts.get(i).computeIfAbsent(value, v -> new long[1]);
                }
            }
        }
        double[] weights = new double[constraints.size()];
        for (int i = 0; i < constraints.size(); i++) {
            int domains = SpreadConstraint.HOSTNAME.equals(constraints.get(i).topologyKey())
                    ? feasibleNodes.size() - ignored.size() : counts.get(i).size();
            weights[i] = Math.log(domains + 2);
        }
        String namespace = pod.pod().getMetadata().getNamespace();
        for (NodeInfo node : allNodes) {
            Map<String, String> labels = labels(node);
            if (requireAllKeys && !SpreadConstraint.nodeHasAllKeys(labels, constraints)) {
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint constraint = constraints.get(i);
                long[] count = counts.get(i).get(labels.get(constraint.topologyKey()));
                if (count != null && constraint.includes(pod.pod(), node.node())) {
                    count[0] += constraint.countMatching(node.pods(), namespace);
                }
            }
        }
        cycle.write(NAME + "/score", new ScoreState(constraints, counts, weights, ignored));
    }

    @Override
    public long score(CycleState cycle, PodInfo pod, NodeInfo node) {
        ScoreState state = cycle.read(NAME + "/score");
        if (state == null) {
            return 0;
        }
        if (state.ignoredNodes().contains(node.name())) {
            return IGNORED;
        }
        Map<String, String> labels = labels(node);
        double score = 0;
        for (int i = 0; i < state.constraints().size(); i++) {
            SpreadConstraint constraint = state.constraints().get(i);
            String value = labels.get(constraint.topologyKey());
            if (value == null) {
                continue;
            }
            long count = SpreadConstraint.HOSTNAME.equals(constraint.topologyKey())
                    ? constraint.countMatching(node.pods(), pod.pod().getMetadata().getNamespace())
                    : state.counts().get(i).get(value)[0];
            score += count * state.weights()[i] + (constraint.maxSkew() - 1);
        }
        return Math.round(score);
    }

    /** Fewer matching pods rank higher: {@code 100 * (max + min - score) / max}; ignored nodes score 0. */
    @Override
    public void normalize(long[] scores) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long score : scores) {
            if (score != IGNORED) {
                min = Math.min(min, score);
                max = Math.max(max, score);
            }
        }
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] == IGNORED) {
                scores[i] = 0;
            } else if (max == 0) {
                scores[i] = MAX_SCORE;
            } else {
                scores[i] = MAX_SCORE * (max + min - scores[i]) / max;
            }
        }
    }

    private static boolean hasOwnConstraints(PodInfo pod) {
        return !pod.hardSpreadConstraints().isEmpty() || !pod.softSpreadConstraints().isEmpty();
    }

    /** The pod's DoNotSchedule constraints, or the DoNotSchedule default constraints for a pod with none. */
    private List<SpreadConstraint> hardConstraints(PodInfo pod) {
        if (!hardDefaults || hasOwnConstraints(pod)) {
            return pod.hardSpreadConstraints();
        }
        return defaultConstraints(pod, true);
    }

    /** The default constraints of one kind over the pod's owners' selector; none when nothing selects the pod. */
    private List<SpreadConstraint> defaultConstraints(PodInfo pod, boolean hard) {
        if (defaultConstraints.isEmpty()) {
            return List.of();
        }
        LabelSelector selector = ownerSelector.apply(pod.pod());
        if (selector.isEmpty() || selector.matchesNothing()) {
            return List.of();
        }
        List<SpreadConstraint> constraints = new ArrayList<>();
        for (TopologySpreadConstraint constraint : defaultConstraints) {
            SpreadConstraint defaulted = SpreadConstraint.defaulted(constraint, selector);
            if (defaulted.hard() == hard) {
                constraints.add(defaulted);
            }
        }
        return constraints;
    }

    private static Map<String, String> labels(NodeInfo node) {
        Map<String, String> labels = node.node().getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }
}
