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
    private Map<String, Long> imageSizes = Map.of();
    private final Map<String, PodInfo> pods = new LinkedHashMap<>();
    private final Map<String, PodInfo> nominated = new LinkedHashMap<>();
    private final Collection<PodInfo> podsView = Collections.unmodifiableCollection(pods.values());
    private final Collection<PodInfo> nominatedView = Collections.unmodifiableCollection(nominated.values());
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
        Map<String, Long> sizes = new java.util.HashMap<>();
        if (node.getStatus() != null) {
            for (io.fabric8.kubernetes.api.model.ContainerImage image : node.getStatus().getImages()) {
                for (String name : image.getNames()) {
                    sizes.put(name, image.getSizeBytes() == null ? 0L : image.getSizeBytes());
                }
            }
        }
        this.imageSizes = sizes.isEmpty() ? Map.of() : sizes;
    }

    void clearNode() {
        this.node = null;
        this.allocatable = new Resources();
        this.imageSizes = Map.of();
    }

    /** The images {@code status.images} reports on this node, by each of their names, with their size in bytes. */
    public Map<String, Long> imageSizes() {
        return imageSizes;
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
        return podsView;
    }

    /** Pending pods nominated to this node by preemption, not counted in {@link #pods()}. */
    public Collection<PodInfo> nominatedPods() {
        return nominatedView;
    }

    void addNominated(PodInfo pod) {
        nominated.put(pod.key(), pod);
    }

    void removeNominated(String key) {
        nominated.remove(key);
    }

    /** A detached copy of this node holding only {@code keptPods} (and no nominations), for what-if checks. */
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
        } else {
            throw new IllegalStateException("pod " + pod.key() + " already on node " + name);
        }
    }

    void removePod(String key) {
        PodInfo removed = pods.remove(key);
        if (removed != null) {
            requested.subtract(removed.requests());
            nonZeroRequested.subtract(removed.nonZeroRequests());
        }
    }
}
