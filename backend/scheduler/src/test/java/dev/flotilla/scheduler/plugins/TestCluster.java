package dev.flotilla.scheduler.plugins;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.cache.SchedulerCache;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;
import dev.flotilla.scheduler.framework.PreFilterPlugin;
import dev.flotilla.scheduler.framework.PreScorePlugin;
import dev.flotilla.scheduler.framework.ScorePlugin;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A scheduler cache filled with nodes and bound pods, and helpers to run one plugin over it as a cycle would. */
final class TestCluster {

    final SchedulerCache cache = new SchedulerCache();

    TestCluster node(String name, Map<String, String> labels) {
        return node(name, labels, b -> b);
    }

    TestCluster node(String name, Map<String, String> labels, UnaryOperator<NodeBuilder> customize) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put("kubernetes.io/hostname", name);
        Node node = customize.apply(new NodeBuilder().withNewMetadata().withName(name).withLabels(all).endMetadata()
                .withNewSpec().endSpec().withNewStatus()
                .withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi"), "pods", new Quantity("110")))
                .endStatus()).build();
        cache.upsertNode(node);
        return this;
    }

    TestCluster bound(Pod pod, String nodeName) {
        cache.upsertBoundPod(new PodInfo(pod, pod.getSpec().getPriority() == null ? 0 : pod.getSpec().getPriority()), nodeName);
        return this;
    }

    List<NodeInfo> nodes() {
        return cache.nodes();
    }

    NodeInfo node(String name) {
        return nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    static Pod pod(String name, String namespace, Map<String, String> labels, UnaryOperator<PodBuilder> customize) {
        return customize.apply(new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withUid(name + "-uid").withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer().endSpec()).build();
    }

    static PodInfo info(Pod pod) {
        return new PodInfo(pod, pod.getSpec().getPriority() == null ? 0 : pod.getSpec().getPriority());
    }

    /** Each node's filter result for {@code pod}, after the plugin's PreFilter, by node name. */
    Map<String, FilterResult> filter(FilterPlugin plugin, Pod pod) {
        PodInfo info = info(pod);
        CycleState state = new CycleState();
        if (plugin instanceof PreFilterPlugin pre) {
            pre.preFilter(state, info, nodes());
        }
        Map<String, FilterResult> results = new LinkedHashMap<>();
        for (NodeInfo node : nodes()) {
            results.put(node.name(), plugin.filter(state, info, node));
        }
        return results;
    }

    /** Normalized scores for {@code pod} over all nodes (all taken as feasible), by node name. */
    Map<String, Long> score(ScorePlugin plugin, Pod pod) {
        PodInfo info = info(pod);
        CycleState state = new CycleState();
        if (plugin instanceof PreScorePlugin pre) {
            pre.preScore(state, info, nodes(), nodes());
        }
        long[] scores = new long[nodes().size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = plugin.score(state, info, nodes().get(i));
        }
        plugin.normalize(scores);
        Map<String, Long> result = new LinkedHashMap<>();
        for (int i = 0; i < scores.length; i++) {
            result.put(nodes().get(i).name(), scores[i]);
        }
        return result;
    }
}
