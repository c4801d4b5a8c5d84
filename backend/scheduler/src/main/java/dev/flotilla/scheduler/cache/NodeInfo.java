package dev.flotilla.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node with the pods the scheduler counts on it (bound and assumed) and their summed requests.
 * Changed only by {@link SchedulerCache} under its lock.
 */
public final class NodeInfo {

    private final String name;
    private Node node;
    private Resources allocatable = new Resources();
    private final Map<String, PodInfo> pods = new LinkedHashMap<>();
    private final Map<String, PodInfo> podsWithAffinity = new LinkedHashMap<>();
    private final Map<String, PodInfo> podsWithRequiredAntiAffinity = new LinkedHashMap<>();
    private final Resources requested = new Resources();
    private final Resources nonZeroRequested = new Resources();

    NodeInfo(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Null while only pods naming this node are known, before its Node object arrives. */
    public Node node() {
        return node;
    }

    void setNode(Node node) {
        this.node = node;
        this.allocatable = Resources.of(node.getStatus() == null ? null : node.getStatus().getAllocatable());
    }

    void clearNode() {
        this.node = null;
        this.allocatable = new Resources();
    }

    public Resources allocatable() {
        return allocatable;
    }

    public Resources requested() {
        return requested;
    }

    public Resources nonZeroRequested() {
        return nonZeroRequested;
    }

    public Collection<PodInfo> pods() {
        return Collections.unmodifiableCollection(pods.values());
    }

    /** Pods here with any pod (anti-)affinity term, which InterPodAffinity's score visits. */
    public Collection<PodInfo> podsWithAffinity() {
        return Collections.unmodifiableCollection(podsWithAffinity.values());
    }

    /** Pods here with required anti-affinity, which every incoming pod is checked against. */
    public Collection<PodInfo> podsWithRequiredAntiAffinity() {
        return Collections.unmodifiableCollection(podsWithRequiredAntiAffinity.values());
    }

    /** A detached copy of this node holding only {@code keptPods}, for what-if checks such as preemption. */
    public NodeInfo withPods(java.util.Collection<PodInfo> keptPods) {
        NodeInfo copy = new NodeInfo(name);
        if (node != null) {
            copy.setNode(node);
        }
        for (PodInfo pod : keptPods) {
            copy.addPod(pod);
        }
        return copy;
    }

    boolean isEmpty() {
        return node == null && pods.isEmpty();
    }

    void addPod(PodInfo pod) {
        if (pods.put(pod.key(), pod) == null) {
            requested.add(pod.requests());
            nonZeroRequested.add(pod.nonZeroRequests());
            if (pod.hasAffinity()) {
                podsWithAffinity.put(pod.key(), pod);
            }
            if (!pod.requiredAntiAffinityTerms().isEmpty()) {
                podsWithRequiredAntiAffinity.put(pod.key(), pod);
            }
        } else {
            throw new IllegalStateException("pod " + pod.key() + " already on node " + name);
        }
    }

    void removePod(String key) {
        PodInfo removed = pods.remove(key);
        if (removed != null) {
            requested.subtract(removed.requests());
            nonZeroRequested.subtract(removed.nonZeroRequests());
            podsWithAffinity.remove(key);
            podsWithRequiredAntiAffinity.remove(key);
        }
    }
}
