package dev.flotilla.scheduler.plugins;

import dev.flotilla.scheduler.cache.AffinityTerm;
import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;
import dev.flotilla.scheduler.framework.PreFilterPlugin;
import dev.flotilla.scheduler.framework.PreScorePlugin;
import dev.flotilla.scheduler.framework.ScorePlugin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Pod affinity and anti-affinity, as upstream's InterPodAffinity. PreFilter counts, per topology
 * pair (label key and value of a node), the existing pods that the incoming pod's required terms
 * select and the existing pods whose required anti-affinity selects the incoming pod; Filter then
 * only looks the node's pairs up. Score (PreScore) sums preferred terms' weights both ways, existing
 * pods' required affinity at hardPodAffinityWeight (1 by default, as upstream), per topology pair,
 * and normalizes min to max.
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {

    static final String NAME = "InterPodAffinity";
    static final String AFFINITY_REASON = "node(s) didn't match pod affinity rules";
    static final String ANTI_AFFINITY_REASON = "node(s) didn't match pod anti-affinity rules";
    static final String EXISTING_ANTI_AFFINITY_REASON = "node(s) didn't satisfy existing pods anti-affinity rules";
    static final int DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;

    private record TopologyPair(String key, String value) {
    }

    private record FilterState(Map<TopologyPair, Long> affinityCounts, Map<TopologyPair, Long> antiAffinityCounts,
            Map<TopologyPair, Long> existingAntiAffinityCounts) {
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
        Map<String, String> ownNamespaceLabels = namespaceLabels.apply(pod.pod().getMetadata().getNamespace());
        Map<TopologyPair, Long> existingAnti = new HashMap<>();
        for (NodeInfo node : allNodes) {
            for (PodInfo existing : node.podsWithRequiredAntiAffinity()) {
                for (AffinityTerm term : existing.requiredAntiAffinityTerms()) {
                    String value = label(node, term.topologyKey());
                    if (value != null && term.matches(pod.pod(), ownNamespaceLabels)) {
                        existingAnti.merge(new TopologyPair(term.topologyKey(), value), 1L, Long::sum);
                    }
                }
            }
        }
        if (existingAnti.isEmpty() && pod.requiredAffinityTerms().isEmpty() && pod.requiredAntiAffinityTerms().isEmpty()) {
            return FilterResult.FITS;
        }
        Map<TopologyPair, Long> affinity = new HashMap<>();
        Map<TopologyPair, Long> anti = new HashMap<>();
        if (!pod.requiredAffinityTerms().isEmpty() || !pod.requiredAntiAffinityTerms().isEmpty()) {
            for (NodeInfo node : allNodes) {
                for (PodInfo existing : node.pods()) {
                    Map<String, String> existingNamespaceLabels = namespaceLabelsIfSelected(pod, existing);
                    // As upstream, an existing pod counts for affinity only if it matches every required term.
                    if (!pod.requiredAffinityTerms().isEmpty() && pod.requiredAffinityTerms().stream()
                            .allMatch(term -> term.matches(existing.pod(), existingNamespaceLabels))) {
                        for (AffinityTerm term : pod.requiredAffinityTerms()) {
                            count(affinity, term, node);
                        }
                    }
                    for (AffinityTerm term : pod.requiredAntiAffinityTerms()) {
                        if (term.matches(existing.pod(), existingNamespaceLabels)) {
                            count(anti, term, node);
                        }
                    }
                }
            }
        }
        state.write(NAME, new FilterState(affinity, anti, existingAnti));
        return FilterResult.FITS;
    }

    /** The labels of {@code existing}'s namespace when one of the incoming pod's required terms has a namespaceSelector. */
    private Map<String, String> namespaceLabelsIfSelected(PodInfo pod, PodInfo existing) {
        boolean needed = pod.requiredAffinityTerms().stream().anyMatch(t -> !t.namespaceSelector().matchesNothing())
                || pod.requiredAntiAffinityTerms().stream().anyMatch(t -> !t.namespaceSelector().matchesNothing());
        return needed ? namespaceLabels.apply(existing.pod().getMetadata().getNamespace()) : Map.of();
    }

    private static void count(Map<TopologyPair, Long> counts, AffinityTerm term, NodeInfo node) {
        String value = label(node, term.topologyKey());
        if (value != null) {
            counts.merge(new TopologyPair(term.topologyKey(), value), 1L, Long::sum);
        }
    }

    @Override
    public FilterResult filter(CycleState cycle, PodInfo pod, NodeInfo node) {
        FilterState state = cycle.read(NAME);
        if (state == null) {
            return FilterResult.FITS;
        }
        if (!satisfiesAffinity(state, pod, node)) {
            return FilterResult.unresolvable(AFFINITY_REASON);
        }
        for (AffinityTerm term : pod.requiredAntiAffinityTerms()) {
            String value = label(node, term.topologyKey());
            if (value != null && state.antiAffinityCounts().getOrDefault(new TopologyPair(term.topologyKey(), value), 0L) > 0) {
                return FilterResult.unschedulable(ANTI_AFFINITY_REASON);
            }
        }
        if (!state.existingAntiAffinityCounts().isEmpty()) {
            for (Map.Entry<String, String> label : labels(node).entrySet()) {
                if (state.existingAntiAffinityCounts().getOrDefault(new TopologyPair(label.getKey(), label.getValue()), 0L) > 0) {
                    return FilterResult.unschedulable(EXISTING_ANTI_AFFINITY_REASON);
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
            if (state.affinityCounts().getOrDefault(new TopologyPair(term.topologyKey(), value), 0L) <= 0) {
                podsExist = false;
            }
        }
        if (podsExist) {
            return true;
        }
        // The first pod of a group with affinity to itself: nothing matches anywhere yet, so it may go
        // to any node that has the topology labels, as upstream allows.
        if (!state.affinityCounts().isEmpty()) {
            return false;
        }
        Map<String, String> own = namespaceLabels.apply(pod.pod().getMetadata().getNamespace());
        return pod.requiredAffinityTerms().stream().allMatch(term -> term.matches(pod.pod(), own));
    }

    @Override
    public void preScore(CycleState cycle, PodInfo pod, List<NodeInfo> feasibleNodes, List<NodeInfo> allNodes) {
        boolean incomingPrefers = !pod.preferredAffinityTerms().isEmpty() || !pod.preferredAntiAffinityTerms().isEmpty();
        Map<String, String> ownNamespaceLabels = namespaceLabels.apply(pod.pod().getMetadata().getNamespace());
        Map<TopologyPair, Long> scores = new HashMap<>();
        for (NodeInfo node : allNodes) {
            var existingPods = incomingPrefers ? node.pods() : node.podsWithAffinity();
            for (PodInfo existing : existingPods) {
                Map<String, String> existingNamespaceLabels = null;
                if (incomingPrefers) {
                    existingNamespaceLabels = namespaceLabels.apply(existing.pod().getMetadata().getNamespace());
                    add(scores, node, pod.preferredAffinityTerms(), existing, existingNamespaceLabels, 1);
                    add(scores, node, pod.preferredAntiAffinityTerms(), existing, existingNamespaceLabels, -1);
                }
                if (existing.hasAffinity()) {
                    for (AffinityTerm term : existing.requiredAffinityTerms()) {
                        addIfMatches(scores, node, term, pod, ownNamespaceLabels, hardPodAffinityWeight);
                    }
                    for (AffinityTerm term : existing.preferredAffinityTerms()) {
                        addIfMatches(scores, node, term, pod, ownNamespaceLabels, term.weight());
                    }
                    for (AffinityTerm term : existing.preferredAntiAffinityTerms()) {
                        addIfMatches(scores, node, term, pod, ownNamespaceLabels, -term.weight());
                    }
                }
            }
        }
        scores.values().removeIf(v -> v == 0);
        cycle.write(NAME + "/score", new ScoreState(scores));
    }

    private static void add(Map<TopologyPair, Long> scores, NodeInfo node, List<AffinityTerm> terms, PodInfo existing,
            Map<String, String> existingNamespaceLabels, int sign) {
        for (AffinityTerm term : terms) {
            addIfMatches(scores, node, term, existing, existingNamespaceLabels, sign * term.weight());
        }
    }

    private static void addIfMatches(Map<TopologyPair, Long> scores, NodeInfo node, AffinityTerm term, PodInfo selected,
            Map<String, String> selectedNamespaceLabels, long weight) {
        String value = label(node, term.topologyKey());
        if (value != null && term.matches(selected.pod(), selectedNamespaceLabels)) {
            scores.merge(new TopologyPair(term.topologyKey(), value), weight, Long::sum);
        }
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
