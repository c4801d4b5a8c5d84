package dev.flotilla.scheduler.cache;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many existing pods carry each distinct affinity term, per value of the term's topology key
 * on the pods' nodes (pods on nodes without that label are not counted). Pods of one workload
 * share their terms, so there are few entries however many pods there are.
 */
public final class TermCounts {

    private final Map<AffinityTerm, Map<String, Integer>> counts = new HashMap<>();

    /** Each distinct term with its counts per topology value, all positive. Valid while the cache is locked. */
    public Map<AffinityTerm, Map<String, Integer>> byTerm() {
        return Collections.unmodifiableMap(counts);
    }

    void add(List<AffinityTerm> terms, Map<String, String> nodeLabels, int delta) {
        for (AffinityTerm term : terms) {
            String value = nodeLabels.get(term.topologyKey());
            if (value != null) {
                Map<String, Integer> byValue = counts.computeIfAbsent(term, t -> new HashMap<>());
                PodIndex.addCount(byValue, value, delta);
                if (byValue.isEmpty()) {
                    counts.remove(term);
                }
            }
        }
    }
}
