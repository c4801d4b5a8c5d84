package dev.flotilla.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's view of the cluster: nodes and the pods on them, including pods it has assumed
 * onto a node while their binding is in flight, so the next pod already sees them. An assumed pod
 * is confirmed when the pod informer shows it bound, and forgotten if its binding fails.
 *
 * <p>Every method holds this object's monitor; a scheduling cycle holds it too ({@link #locked})
 * so that filters and scores see one consistent state.
 */
public final class SchedulerCache {

    private record Placement(String nodeName, PodInfo pod, boolean assumed) {
    }

    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final Map<String, Placement> pods = new HashMap<>();
    /** Pending pods nominated to a node by preemption: pod key to node name. */
    private final Map<String, String> nominations = new HashMap<>();
    private final PodIndex index = new PodIndex();
    private NodeInfoList nodeList = new NodeInfoList(List.of(), index);
    private boolean nodeListStale;

    public synchronized void upsertNode(Node node) {
        NodeInfo info = nodeInfo(node.getMetadata().getName());
        if (info.node() == null) {
            nodeListStale = true;
        }
        info.setNode(node);
        index.upsertNode(info);
    }

    public synchronized void removeNode(String name) {
        NodeInfo info = nodes.get(name);
        if (info != null && info.node() != null) {
            index.removeNode(info);
            info.clearNode();
            if (info.isEmpty()) {
                nodes.remove(name);
            }
            nodeListStale = true;
        }
    }

    /** A pod the informer shows bound to a node; confirms it if it was assumed. */
    public synchronized void upsertBoundPod(PodInfo pod, String nodeName) {
        place(pod, nodeName, false);
    }

    /** Counts {@code pod} on {@code nodeName} before the API server has confirmed the binding. */
    public synchronized void assume(PodInfo pod, String nodeName) {
        place(pod, nodeName, true);
    }

    /** Undoes {@link #assume} after a failed binding, unless the informer has confirmed it meanwhile. */
    public synchronized void forget(String key) {
        Placement placement = pods.get(key);
        if (placement != null && placement.assumed()) {
            removePod(key);
        }
    }

    public synchronized boolean isAssumed(String key) {
        Placement placement = pods.get(key);
        return placement != null && placement.assumed();
    }

    public synchronized boolean contains(String key) {
        return pods.containsKey(key);
    }

    public synchronized void removePod(String key) {
        Placement placement = pods.remove(key);
        if (placement != null) {
            NodeInfo info = nodes.get(placement.nodeName());
            index.removePod(info, placement.pod());
            info.removePod(key);
            if (info.isEmpty()) {
                nodes.remove(placement.nodeName());
            }
        }
    }

    /** The nodes with a Node object, in a stable order, with the index; valid while the caller holds the lock. */
    public synchronized NodeInfoList nodes() {
        if (nodeListStale) {
            List<NodeInfo> list = new ArrayList<>();
            for (NodeInfo info : nodes.values()) {
                if (info.node() != null) {
                    list.add(info);
                }
            }
            list.sort((a, b) -> a.name().compareTo(b.name()));
            nodeList = new NodeInfoList(List.copyOf(list), index);
            nodeListStale = false;
        }
        return nodeList;
    }

    public synchronized int podCount() {
        return pods.size();
    }

    /** Runs {@code work} with the cache held still. */
    public synchronized <T> T locked(java.util.function.Supplier<T> work) {
        return work.get();
    }

    /**
     * Reserves room on {@code nodeName} for a pending pod that preempted there (upstream's nominator):
     * pods of lower or equal priority are filtered as if it were already there. Null or empty clears.
     */
    public synchronized void nominate(PodInfo pod, String nodeName) {
        clearNomination(pod.key());
        NodeInfo info = nodeName == null || nodeName.isEmpty() ? null : nodes.get(nodeName);
        if (info != null) {
            info.addNominated(pod);
            nominations.put(pod.key(), nodeName);
        }
    }

    public synchronized void clearNomination(String key) {
        String nodeName = nominations.remove(key);
        NodeInfo info = nodeName == null ? null : nodes.get(nodeName);
        if (info != null) {
            info.removeNominated(key);
        }
    }

    private void place(PodInfo pod, String nodeName, boolean assumed) {
        clearNomination(pod.key());
        Placement previous = pods.get(pod.key());
        if (previous != null) {
            removePod(pod.key());
        }
        NodeInfo info = nodeInfo(nodeName);
        info.addPod(pod);
        index.addPod(info, pod);
        pods.put(pod.key(), new Placement(nodeName, pod, assumed));
    }

    private NodeInfo nodeInfo(String name) {
        return nodes.computeIfAbsent(name, NodeInfo::new);
    }
}
