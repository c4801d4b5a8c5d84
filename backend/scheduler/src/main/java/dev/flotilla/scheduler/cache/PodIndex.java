package dev.flotilla.scheduler.cache;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Cluster-wide counts over the pods on the nodes a cycle sees, so that InterPodAffinity and
 * PodTopologySpread need not visit every pod of every node each cycle (upstream's snapshot keeps
 * the nodes with affinity pods for the same reason): the existing pods' affinity terms
 * ({@link TermCounts}), the nodes per label value, and the answers to the {@link PodQuery}s
 * PreFilters asked recently. {@link SchedulerCache} keeps its index current on every node and pod
 * change (assume, confirm, forget, remove); {@link #of} builds one for any other list of nodes.
 * Only nodes with a Node object count.
 */
public final class PodIndex {

    /** Queries kept current; the least recently asked beyond this are dropped and recounted when asked again. */
    static final int MAX_QUERIES = 128;

    /** What the index counted a node with, so that it can be taken out again after the Node changed. */
    private record Indexed(Map<String, String> labels, Set<String> images) {
    }

    private final Map<NodeInfo, Indexed> nodes = new HashMap<>();
    private final Map<String, Map<String, Integer>> nodesByLabel = new HashMap<>();
    private final Map<String, Integer> nodesWithKey = new HashMap<>();
    private final Map<String, Integer> nodesWithImage = new HashMap<>();
    private final TermCounts requiredAffinity = new TermCounts();
    private final TermCounts requiredAntiAffinity = new TermCounts();
    private final TermCounts preferredAffinity = new TermCounts();
    private final TermCounts preferredAntiAffinity = new TermCounts();
    private final Map<PodQuery, Map<String, Integer>> queries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PodQuery, Map<String, Integer>> eldest) {
            return size() > MAX_QUERIES;
        }
    };

    /** An index of {@code nodes} as they are now, for lists the cache does not keep (what-if copies). */
    public static PodIndex of(Collection<NodeInfo> nodes) {
        PodIndex index = new PodIndex();
        for (NodeInfo node : nodes) {
            if (node.node() != null) {
                index.upsertNode(node);
            }
        }
        return index;
    }

    /** Existing pods' required anti-affinity terms, which every incoming pod is checked against. */
    public TermCounts requiredAntiAffinity() {
        return requiredAntiAffinity;
    }

    /** Existing pods' required affinity terms (scored at upstream's hardPodAffinityWeight). */
    public TermCounts requiredAffinity() {
        return requiredAffinity;
    }

    public TermCounts preferredAffinity() {
        return preferredAffinity;
    }

    public TermCounts preferredAntiAffinity() {
        return preferredAntiAffinity;
    }

    /** The pods {@code query} selects, per value of its topology key; only positive counts. Valid while the cache is locked. */
    public Map<String, Integer> matching(PodQuery query) {
        Map<String, Integer> counts = queries.get(query);
        if (counts == null) {
            counts = new HashMap<>();
            for (Map.Entry<NodeInfo, Indexed> entry : nodes.entrySet()) {
                NodeInfo node = entry.getKey();
                String value = entry.getValue().labels().get(query.topologyKey());
                if (value != null) {
                    for (PodInfo pod : node.pods()) {
                        if (query.matches(pod.pod())) {
                            addCount(counts, value, 1);
                        }
                    }
                }
            }
            queries.put(query, counts);
        }
        return Collections.unmodifiableMap(counts);
    }

    /** The values of label {@code key} among the nodes, with how many nodes have each. */
    public Map<String, Integer> labelValues(String key) {
        Map<String, Integer> values = nodesByLabel.get(key);
        return values == null ? Map.of() : Collections.unmodifiableMap(values);
    }

    /** Whether every node has the label {@code key}. */
    public boolean everyNodeHas(String key) {
        return nodesWithKey.getOrDefault(key, 0) == nodes.size();
    }

    public int nodeCount() {
        return nodes.size();
    }

    /** How many nodes report {@code image} (by one of its names) in {@code status.images}. */
    public int nodesWithImage(String image) {
        return nodesWithImage.getOrDefault(image, 0);
    }

    /** Counts the node (its Node object set) and its pods, or recounts it if its labels or images changed. */
    void upsertNode(NodeInfo node) {
        Indexed current = new Indexed(labels(node), node.imageSizes().keySet());
        Indexed indexed = nodes.get(node);
        if (current.equals(indexed)) {
            return;
        }
        if (indexed != null) {
            removeNode(node);
        }
        nodes.put(node, current);
        current.labels().forEach((key, value) -> {
            addCount(nodesByLabel.computeIfAbsent(key, k -> new HashMap<>()), value, 1);
            addCount(nodesWithKey, key, 1);
        });
        current.images().forEach(image -> addCount(nodesWithImage, image, 1));
        for (PodInfo pod : node.pods()) {
            update(node, pod, 1);
        }
    }

    /** Takes the node and its pods out, as they were counted. */
    void removeNode(NodeInfo node) {
        Indexed indexed = nodes.get(node);
        if (indexed == null) {
            return;
        }
        for (PodInfo pod : node.pods()) {
            update(node, pod, -1);
        }
        nodes.remove(node);
        indexed.images().forEach(image -> addCount(nodesWithImage, image, -1));
        indexed.labels().forEach((key, value) -> {
            Map<String, Integer> values = nodesByLabel.get(key);
            addCount(values, value, -1);
            if (values.isEmpty()) {
                nodesByLabel.remove(key);
            }
            addCount(nodesWithKey, key, -1);
        });
    }

    void addPod(NodeInfo node, PodInfo pod) {
        update(node, pod, 1);
    }

    void removePod(NodeInfo node, PodInfo pod) {
        update(node, pod, -1);
    }

    private void update(NodeInfo node, PodInfo pod, int delta) {
        Indexed indexed = nodes.get(node);
        if (indexed == null) {
            return;
        }
        Map<String, String> labels = indexed.labels();
        if (pod.hasAffinity()) {
            requiredAffinity.add(pod.requiredAffinityTerms(), labels, delta);
            requiredAntiAffinity.add(pod.requiredAntiAffinityTerms(), labels, delta);
            preferredAffinity.add(pod.preferredAffinityTerms(), labels, delta);
            preferredAntiAffinity.add(pod.preferredAntiAffinityTerms(), labels, delta);
        }
        // Iterating the entries does not reorder an access-ordered map; only asking does.
        for (Map.Entry<PodQuery, Map<String, Integer>> entry : queries.entrySet()) {
            String value = labels.get(entry.getKey().topologyKey());
            if (value != null && entry.getKey().matches(pod.pod())) {
                addCount(entry.getValue(), value, delta);
            }
        }
    }

    /** Adds {@code delta} to {@code key}'s count, dropping the entry when it reaches 0. */
    static void addCount(Map<String, Integer> counts, String key, int delta) {
        counts.merge(key, delta, (a, b) -> a + b == 0 ? null : a + b);
    }

    private static Map<String, String> labels(NodeInfo node) {
        Map<String, String> labels = node.node().getMetadata().getLabels();
        return labels == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(labels));
    }
}
