package dev.flotilla.apiserver.authz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.api.nodeauth.NodeGraph;
import dev.flotilla.api.nodeauth.NodeRelationships;
import dev.flotilla.api.nodeauth.PodReferences;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.resource.ObjectFeed;
import dev.flotilla.apiserver.resource.ResourceStore;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The Node authorizer's relationships: a {@link NodeGraph} fed from etcd by watches of pods and
 * PersistentVolumeClaims. A namespaced object the graph does not (yet) connect to the node is looked
 * for once more among the pods of its namespace as this server last wrote them, so a node reading
 * a Secret right after its pod was bound here is not refused because the watch is a moment behind.
 */
@Context
public class NodeGraphFeed implements NodeRelationships {

    private final NodeGraph graph = new NodeGraph();
    private final ResourceStore store;
    private final ResourceType pods;
    private final List<ObjectFeed> feeds;
    private final ScheduledExecutorService worker = DaemonThreads.scheduler("node-graph-feed");

    public NodeGraphFeed(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.pods = registry.find("", "v1", "pods").orElseThrow();
        ResourceType claims = registry.find("", "v1", "persistentvolumeclaims").orElseThrow();
        this.feeds = List.of(
                new ObjectFeed(store, pods, handler(graph::putPod, graph::retainPods, graph::removePod), worker),
                new ObjectFeed(store, claims, handler(graph::putClaim, graph::retainClaims, graph::removeClaim), worker));
    }

    /** Puts each object in the graph, keeps only the listed ones after a list, removes deleted ones. */
    private static ObjectFeed.Handler handler(Consumer<ObjectNode> put, Consumer<Set<String>> retain,
            Consumer<String> remove) {
        return new ObjectFeed.Handler() {
            @Override
            public void listed(List<ObjectNode> objects) {
                objects.forEach(put);
                retain.accept(keys(objects));
            }

            @Override
            public void put(ObjectNode object) {
                put.accept(object);
            }

            @Override
            public void removed(String key) {
                remove.accept(key);
            }
        };
    }

    public boolean synced() {
        return feeds.stream().allMatch(ObjectFeed::synced);
    }

    @Override
    public boolean uses(String node, PodReferences.ObjectKind kind, String namespace, String name) {
        if (graph.uses(node, kind, namespace, name)) {
            return true;
        }
        return store.cachedWithOwnWrites(pods, namespace).items().stream().map(ResourceStore::decode)
                .map(PodReferences::of)
                .anyMatch(pod -> pod != null && pod.node().equals(node) && pod.references(kind, name));
    }

    @Override
    public boolean usesVolume(String node, String volume) {
        return graph.usesVolume(node, volume);
    }

    private static Set<String> keys(List<ObjectNode> objects) {
        Set<String> keys = new HashSet<>();
        objects.forEach(object -> keys.add(NodeGraph.key(object)));
        return keys;
    }

    @PreDestroy
    public void stop() {
        worker.shutdownNow();
        feeds.forEach(ObjectFeed::close);
    }
}
