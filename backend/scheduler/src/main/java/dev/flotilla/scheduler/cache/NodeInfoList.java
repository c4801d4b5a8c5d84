package dev.flotilla.scheduler.cache;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The nodes a scheduling cycle sees, in a stable order, with the {@link PodIndex} over their pods.
 * The cache's list shares the cache's index, kept current incrementally; any other list (a test's,
 * or preemption's what-if copy) gets an index built from it on first use.
 */
public final class NodeInfoList extends AbstractList<NodeInfo> implements RandomAccess {

    private final NodeInfo[] nodes;
    private PodIndex index;

    NodeInfoList(List<NodeInfo> nodes, PodIndex index) {
        this.nodes = nodes.toArray(NodeInfo[]::new);
        this.index = index;
    }

    /** {@code nodes} itself if it is one, else a list of the same nodes with an index of their own. */
    public static NodeInfoList of(List<NodeInfo> nodes) {
        return nodes instanceof NodeInfoList list ? list : new NodeInfoList(nodes, null);
    }

    public PodIndex index() {
        if (index == null) {
            index = PodIndex.of(List.of(nodes));
        }
        return index;
    }

    @Override
    public NodeInfo get(int i) {
        return nodes[i];
    }

    @Override
    public int size() {
        return nodes.length;
    }
}
