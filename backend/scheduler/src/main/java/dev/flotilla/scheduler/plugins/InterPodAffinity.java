package dev.flotilla.scheduler.plugins;

import dev.flotilla.scheduler.cache.AffinityTerm;
import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.NodeInfoList;
import dev.flotilla.scheduler.cache.PodIndex;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.cache.PodQuery;
import dev.flotilla.scheduler.cache.TermCounts;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;
import dev.flotilla.scheduler.framework.PreFilterPlugin;
import dev.flotilla.scheduler.framework.PreScorePlugin;
import dev.flotilla.scheduler.framework.ScorePlugin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Pod affinity and anti-affinity, as upstream's InterPodAffinity. PreFilter counts, per topology
 * pair (label key and value of a node), the existing pods that the incoming pod's required terms
 * select and the existing pods whose required anti-affinity selects the incoming pod; Filter then
 * only looks the node's pairs up. Score (PreScore) sums preferred terms' weights both ways, existing
 * pods' required affinity at hardPodAffinityWeight (1 by default, as upstream), per topology pair,
 * and normalizes min to max. The counts come from the cache's {@link PodIndex} (distinct terms of the
 * existing pods, pods per topology value for a selector), so a cycle does not visit every pod.
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {

    static final String NAME = "InterPodAffinity";
    static final String AFFINITY_REASON = "node(s) didn't match pod affinity rules";
    static final String ANTI_AFFINITY_REASON = "node(s) didn't match pod anti-affinity rules";
    static final String EXISTING_ANTI_AFFINITY_REASON = "node(s) didn't satisfy existing pods anti-affinity rules";
    static final int DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;
    private static final FilterResult AFFINITY_MISMATCH = FilterResult.unresolvable(AFFINITY_REASON);
    private static final FilterResult ANTI_AFFINITY_MISMATCH = FilterResult.unschedulable(ANTI_AFFINITY_REASON);
    private static final FilterResult EXISTING_ANTI_AFFINITY_MISMATCH = FilterResult.unschedulable(EXISTING_ANTI_AFFINITY_REASON);

    private record TopologyPair(String key, String value) {
    }

    /**
     * Counts per topology value, grouped by topology key: for the incoming pod's affinity (pods
     * matching all its required terms), its anti-affinity terms, and the existing pods' required
     * anti-affinity terms that select it. As upstream keys counts by topology pair, terms with the
     * same key share them. The maps may be the cache's own, valid while the cycle holds it.
     */
    private record FilterState(Map<String, Map<String, Integer>> affinityCounts,
            Map<String, List<Map<String, Integer>>> antiAffinityCounts,
            Map<String, List<Map<String, Integer>>> existingAntiAffinityCounts) {
    }

    private record ScoreState(Map<TopologyPair, Long> topologyScores) {
    }

    private final Function<String, Map<String, String>> namespaceLabels;

    private final int hardPodAffinityWeight;

    /** {@code namespaceLabels}: a namespace's labels (empty if unknown), for namespaceSelector terms. */
    public InterPodAffinity(Function<String, Map<String, String>> namespaceLabels) {
        this(namespaceLabels, DEFAULT_HARD_POD_AFFINITY_WEIGHT);
    }

    /** {@code hardPodAffinityWeight} (0..100): the score weight of existing pods' required affinity to the pod. */
    public InterPodAffinity(Function<String, Map<String, String>> namespaceLabels, int hardPodAffinityWeight) {
        this.namespaceLabels = namespaceLabels;
        this.hardPodAffinityWeight = hardPodAffinityWeight;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes) {
        NodeInfoList nodes = NodeInfoList.of(allNodes);
        Map<String, String> ownNamespaceLabels = namespaceLabels.apply(pod.pod().getMetadata().getNamespace());
        Map<String, List<Map<String, Integer>>> existingAnti = new HashMap<>();
        nodes.index().requiredAntiAffinity().byTerm().forEach((term, counts) -> {
            if (term.matches(pod.pod(), ownNamespaceLabels)) {
                existingAnti.computeIfAbsent(term.topologyKey(), k -> new ArrayList<>()).add(counts);
            }
        });
        if (existingAnti.isEmpty() && pod.requiredAffinityTerms().isEmpty() && pod.requiredAntiAffinityTerms().isEmpty()) {
            return FilterResult.FITS;
        }
        Map<String, List<Map<String, Integer>>> anti = new HashMap<>();
        for (AffinityTerm term : pod.requiredAntiAffinityTerms()) {
            anti.computeIfAbsent(term.topologyKey(), k -> new ArrayList<>()).add(matching(nodes, term));
        }
        state.write(NAME, new FilterState(affinityCounts(nodes, pod), anti, existingAnti));
        return FilterResult.FITS;
    }

    /**
     * Per topology key of the pod's required affinity terms, the existing pods that match every
     * term (as upstream, a pod counts for affinity only then) per value of that key.
     */
    private Map<String, Map<String, Integer>> affinityCounts(NodeInfoList nodes, PodInfo pod) {
        List<AffinityTerm> terms = pod.requiredAffinityTerms();
        if (terms.isEmpty()) {
            return Map.of();
        }
        if (terms.size() == 1) {
            return Map.of(terms.get(0).topologyKey(), matching(nodes, terms.get(0)));
        }
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        for (NodeInfo node : nodes) {
            for (PodInfo existing : node.pods()) {
                Map<String, String> existingNamespaceLabels = namespaceLabelsIfSelected(terms, existing);
                if (terms.stream().allMatch(term -> term.matches(existing.pod(), existingNamespaceLabels))) {
                    for (AffinityTerm term : terms) {
                        String value = label(node, term.topologyKey());
                        if (value != null) {
                            counts.computeIfAbsent(term.topologyKey(), k -> new HashMap<>()).merge(value, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        return counts;
    }

    /**
     * The existing pods {@code term} selects, per value of its topology key: from the index, or
     * counted over every pod when the term has a namespaceSelector (namespace labels change
     * without the pods changing, so the index does not answer those).
     */
    private Map<String, Integer> matching(NodeInfoList nodes, AffinityTerm term) {
        if (term.namespaceSelector().matchesNothing()) {
            return nodes.index().matching(PodQuery.of(term));
        }
        Map<String, Integer> counts = new HashMap<>();
        for (NodeInfo node : nodes) {
            String value = label(node, term.topologyKey());
            if (value != null) {
                for (PodInfo existing : node.pods()) {
                    if (term.matches(existing.pod(), namespaceLabels.apply(existing.pod().getMetadata().getNamespace()))) {
                        counts.merge(value, 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    /** The labels of {@code existing}'s namespace when one of {@code terms} has a namespaceSelector. */
    private Map<String, String> namespaceLabelsIfSelected(List<AffinityTerm> terms, PodInfo existing) {
        boolean needed = terms.stream().anyMatch(t -> !t.namespaceSelector().matchesNothing());
        return needed ? namespaceLabels.apply(existing.pod().getMetadata().getNamespace()) : Map.of();
    }

    private static boolean positive(List<Map<String, Integer>> counts, String value) {
        if (counts != null) {
            for (Map<String, Integer> byValue : counts) {
                if (byValue.getOrDefault(value, 0) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public FilterResult filter(CycleState cycle, PodInfo pod, NodeInfo node) {
        FilterState state = cycle.read(NAME);
        if (state == null) {
            return FilterResult.FITS;
        }
        if (!satisfiesAffinity(state, pod, node)) {
            return AFFINITY_MISMATCH;
        }
        for (AffinityTerm term : pod.requiredAntiAffinityTerms()) {
            String value = label(node, term.topologyKey());
            if (value != null && positive(state.antiAffinityCounts().get(term.topologyKey()), value)) {
                return ANTI_AFFINITY_MISMATCH;
            }
        }
        if (!state.existingAntiAffinityCounts().isEmpty()) {
            for (Map.Entry<String, List<Map<String, Integer>>> byKey : state.existingAntiAffinityCounts().entrySet()) {
                String value = label(node, byKey.getKey());
                if (value != null && positive(byKey.getValue(), value)) {
                    return EXISTING_ANTI_AFFINITY_MISMATCH;
                }
            }
        }
        return FilterResult.FITS;
    }

    private boolean satisfiesAffinity(FilterState state, PodInfo pod, NodeInfo node) {
        boolean podsExist = true;
        for (AffinityTerm term : pod.requiredAffinityTerms()) {
            String value = label(node, term.topologyKey());
            if (value == null) {
                return false;
            }
            if (state.affinityCounts().getOrDefault(term.topologyKey(), Map.of()).getOrDefault(value, 0) <= 0) {
                podsExist = false;
            }
        }
        if (podsExist) {
            return true;
        }
        // The first pod of a group with affinity to itself: nothing matches anywhere yet, so it may go
        // to any node that has the topology labels, as upstream allows.
        if (state.affinityCounts().values().stream().anyMatch(counts -> !counts.isEmpty())) {
            return false;
        }
        Map<String, String> own = namespaceLabels.apply(pod.pod().getMetadata().getNamespace());
        return pod.requiredAffinityTerms().stream().allMatch(term -> term.matches(pod.pod(), own));
    }

    @Override
    public void preScore(CycleState cycle, PodInfo pod, List<NodeInfo> feasibleNodes, List<NodeInfo> allNodes) {
        NodeInfoList nodes = NodeInfoList.of(allNodes);
        Map<String, String> ownNamespaceLabels = namespaceLabels.apply(pod.pod().getMetadata().getNamespace());
        Map<TopologyPair, Long> scores = new HashMap<>();
        for (AffinityTerm term : pod.preferredAffinityTerms()) {
            add(scores, term, matching(nodes, term), term.weight());
        }
        for (AffinityTerm term : pod.preferredAntiAffinityTerms()) {
            add(scores, term, matching(nodes, term), -term.weight());
        }
        PodIndex index = nodes.index();
        addExisting(scores, index.requiredAffinity(), pod, ownNamespaceLabels, term -> hardPodAffinityWeight);
        addExisting(scores, index.preferredAffinity(), pod, ownNamespaceLabels, AffinityTerm::weight);
        addExisting(scores, index.preferredAntiAffinity(), pod, ownNamespaceLabels, term -> -term.weight());
        scores.values().removeIf(v -> v == 0);
        cycle.write(NAME + "/score", new ScoreState(scores));
    }

    /** The existing pods' terms that select the incoming pod, each weighed once per pod carrying it. */
    private static void addExisting(Map<TopologyPair, Long> scores, TermCounts terms, PodInfo pod,
            Map<String, String> ownNamespaceLabels, ToLongFunction<AffinityTerm> weight) {
        terms.byTerm().forEach((term, counts) -> {
            if (term.matches(pod.pod(), ownNamespaceLabels)) {
                add(scores, term, counts, weight.applyAsLong(term));
            }
        });
    }

    private static void add(Map<TopologyPair, Long> scores, AffinityTerm term, Map<String, Integer> counts, long weight) {
        counts.forEach((value, count) -> scores.merge(new TopologyPair(term.topologyKey(), value), count * weight, Long::sum));
    }

    @Override
    public long score(CycleState cycle, PodInfo pod, NodeInfo node) {
        ScoreState state = cycle.read(NAME + "/score");
        if (state == null || state.topologyScores().isEmpty()) {
            return 0;
        }
        long total = 0;
        for (Map.Entry<String, String> label : labels(node).entrySet()) {
            total += state.topologyScores().getOrDefault(new TopologyPair(label.getKey(), label.getValue()), 0L);
        }
        return total;
    }

    /** Min-max to 0..100; raw scores may be negative (anti-affinity). All equal scores become 0. */
    @Override
    public void normalize(long[] scores) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long score : scores) {
            min = Math.min(min, score);
            max = Math.max(max, score);
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] = max > min ? (long) (MAX_SCORE * ((double) (scores[i] - min) / (max - min))) : 0;
        }
    }

    private static Map<String, String> labels(NodeInfo node) {
        Map<String, String> labels = node.node().getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    private static String label(NodeInfo node, String key) {
        return labels(node).get(key);
    }
}
