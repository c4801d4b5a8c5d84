package dev.flotilla.scheduler.framework;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why no node fits a pod: each node's filter result, and the sentence upstream puts into the
 * FailedScheduling event and PodScheduled condition, e.g. {@code 0/3 nodes are available: 1
 * Insufficient cpu, 2 node(s) had untolerated taint {node-role: x}.}
 */
public final class Diagnosis {

    public static final String NO_NODES = "no nodes available to schedule pods";

    private final int allNodes;
    // Recorded as lists and made a map only when asked: most pods fit, and their diagnosis is never read.
    private final List<String> failedNodes = new ArrayList<>();
    private final List<FilterResult> failures = new ArrayList<>();
    private Map<String, FilterResult> nodeResults;
    private String postFilterMessage = "";
    private String preFilterMessage = "";

    public Diagnosis(int allNodes) {
        this.allNodes = allNodes;
    }

    public void record(String node, FilterResult result) {
        failedNodes.add(node);
        failures.add(result);
        nodeResults = null;
    }

    public Map<String, FilterResult> nodeResults() {
        if (nodeResults == null) {
            nodeResults = new LinkedHashMap<>();
            for (int i = 0; i < failedNodes.size(); i++) {
                nodeResults.put(failedNodes.get(i), failures.get(i));
            }
        }
        return nodeResults;
    }

    public int allNodes() {
        return allNodes;
    }

    /** A PreFilter plugin's rejection, which every node shares. */
    public void setPreFilterMessage(String message) {
        this.preFilterMessage = message;
    }

    public void setPostFilterMessage(String message) {
        this.postFilterMessage = message;
    }

    /** True when some node failed only for reasons other pods cause (so a later event may help). */
    public boolean anyResolvable() {
        return nodeResults().values().stream().anyMatch(r -> r.code() == FilterResult.Code.UNSCHEDULABLE);
    }

    public String message() {
        if (allNodes == 0) {
            return NO_NODES;
        }
        StringBuilder message = new StringBuilder(preFilterMessage.isEmpty() ? nodesAvailable(allNodes, nodeResults().values())
                : "0/" + allNodes + " nodes are available: " + preFilterMessage + ".");
        if (!postFilterMessage.isEmpty()) {
            message.append(' ').append(postFilterMessage);
        }
        return message.toString();
    }

    /** {@code 0/N nodes are available: <count reason>, ….} with the entries sorted as strings, as upstream. */
    public static String nodesAvailable(int allNodes, Iterable<FilterResult> results) {
        Map<String, Integer> histogram = new TreeMap<>();
        for (FilterResult result : results) {
            for (String reason : result.reasons()) {
                histogram.merge(reason, 1, Integer::sum);
            }
        }
        List<String> entries = new ArrayList<>();
        histogram.forEach((reason, count) -> entries.add(count + " " + reason));
        entries.sort(null);
        StringBuilder message = new StringBuilder("0/" + allNodes + " nodes are available:");
        if (!entries.isEmpty()) {
            message.append(' ').append(String.join(", ", entries)).append('.');
        }
        return message.toString();
    }
}
