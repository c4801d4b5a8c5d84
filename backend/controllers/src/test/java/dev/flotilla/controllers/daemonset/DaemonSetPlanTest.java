package dev.flotilla.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonSetPlanTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    @Test
    void createsOnEveryEligibleNodeOnly() {
        DaemonSet set = set(0, 1);
        List<Node> nodes = List.of(node("a"), tainted("b", "NoSchedule"), cordoned("c"));
        DaemonSetPlan.Plan plan = plan(set, nodes, List.of());
        assertThat(plan.createOn()).containsExactly("a", "c");
        assertThat(plan.status().getDesiredNumberScheduled()).isEqualTo(2);
        assertThat(plan.status().getNumberUnavailable()).isEqualTo(2);
    }

    @Test
    void untoleratedNoExecuteEvictsButNoScheduleKeepsARunningPod() {
        DaemonSet set = set(0, 1);
        List<Node> nodes = List.of(tainted("a", "NoSchedule"), tainted("b", "NoExecute"));
        DaemonSetPlan.Plan plan = plan(set, nodes, List.of(pod("p1", "a", "h1", true), pod("p2", "b", "h1", true)));
        assertThat(plan.createOn()).isEmpty();
        assertThat(plan.delete()).extracting(p -> p.getMetadata().getName()).containsExactly("p2");
        assertThat(plan.status().getNumberMisscheduled()).isEqualTo(2);
    }

    @Test
    void keepsTheOldestOfSeveralPodsOnANode() {
        DaemonSetPlan.Plan plan = plan(set(0, 1), List.of(node("a")),
                List.of(pod("young", "a", "h1", true, "2026-01-01T00:05:00Z"), pod("old", "a", "h1", true)));
        assertThat(plan.delete()).extracting(p -> p.getMetadata().getName()).containsExactly("young");
    }

    @Test
    void rollingUpdateDeletesAtMostMaxUnavailableAvailablePods() {
        List<Node> nodes = List.of(node("a"), node("b"), node("c"));
        List<Pod> old = new ArrayList<>(List.of(pod("pa", "a", "h0", true), pod("pb", "b", "h0", true),
                pod("pc", "c", "h0", true)));
        assertThat(plan(set(0, 1), nodes, old).delete()).hasSize(1);
        assertThat(plan(set(0, 2), nodes, old).delete()).hasSize(2);
        // A new pod not yet available uses up the budget.
        old.set(0, pod("pa2", "a", "h1", false));
        assertThat(plan(set(0, 1), nodes, old).delete()).isEmpty();
        // So does a node whose old pod is gone and whose new one is not created yet.
        assertThat(plan(set(0, 1), nodes, List.of(pod("pb", "b", "h0", true), pod("pc", "c", "h0", true))).delete())
                .isEmpty();
    }

    @Test
    void surgeStartsNewPodsBesideOldOnesAndDeletesOldOnesOnceTheNewAreAvailable() {
        List<Node> nodes = List.of(node("a"), node("b"));
        DaemonSetPlan.Plan first = plan(set(1, 0), nodes, List.of(pod("pa", "a", "h0", true), pod("pb", "b", "h0", true)));
        assertThat(first.createOn()).containsExactly("a");
        assertThat(first.delete()).isEmpty();
        DaemonSetPlan.Plan waiting = plan(set(1, 0), nodes, List.of(pod("pa", "a", "h0", true),
                pod("na", "a", "h1", false, "2026-01-01T00:05:00Z"), pod("pb", "b", "h0", true)));
        assertThat(waiting.createOn()).isEmpty();
        assertThat(waiting.delete()).isEmpty();
        DaemonSetPlan.Plan done = plan(set(1, 0), nodes, List.of(pod("pa", "a", "h0", true),
                pod("na", "a", "h1", true, "2026-01-01T00:05:00Z"), pod("pb", "b", "h0", true)));
        assertThat(done.delete()).extracting(p -> p.getMetadata().getName()).containsExactly("pa");
        assertThat(done.status().getUpdatedNumberScheduled()).isEqualTo(1);
    }

    @Test
    void onDeleteLeavesOldPodsAlone() {
        DaemonSet set = set(0, 1);
        set.getSpec().getUpdateStrategy().setType("OnDelete");
        assertThat(plan(set, List.of(node("a")), List.of(pod("pa", "a", "h0", true))).delete()).isEmpty();
    }

    @Test
    void podsArePinnedToTheirNodeByAffinity() {
        Pod pod = DaemonPods.newPod(set(0, 1), set(0, 1).getSpec().getTemplate(), "h1", "node-7", JSON);
        assertThat(DaemonPods.targetNode(pod)).isEqualTo("node-7");
        assertThat(pod.getSpec().getNodeName()).isNull();
        assertThat(pod.getMetadata().getLabels()).containsEntry("controller-revision-hash", "h1");
    }

    private static DaemonSetPlan.Plan plan(DaemonSet set, List<Node> nodes, List<Pod> pods) {
        PodSpec spec = DaemonPods.withDaemonTolerations(set.getSpec().getTemplate().getSpec(), JSON);
        return DaemonSetPlan.plan(set, spec, nodes, pods, "h1", NOW);
    }

    private static DaemonSet set(int maxSurge, int maxUnavailable) {
        return new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("ns").withUid("ds").withGeneration(1L)
                .endMetadata().withNewSpec().withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(maxSurge)).withMaxUnavailable(new IntOrString(maxUnavailable))
                .endRollingUpdate().endUpdateStrategy().withNewTemplate().withNewMetadata().addToLabels("app", "agent")
                .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec().build();
    }

    private static Node tainted(String name, String effect) {
        Node node = node(name);
        node.getSpec().getTaints().add(new io.fabric8.kubernetes.api.model.TaintBuilder().withKey("dedicated")
                .withValue("db").withEffect(effect).build());
        return node;
    }

    private static Node cordoned(String name) {
        Node node = node(name);
        node.getSpec().setUnschedulable(true);
        node.getSpec().getTaints().add(new io.fabric8.kubernetes.api.model.TaintBuilder()
                .withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").build());
        return node;
    }

    private static Pod pod(String name, String node, String hash, boolean ready) {
        return pod(name, node, hash, ready, "2026-01-01T00:00:00Z");
    }

    private static Pod pod(String name, String node, String hash, boolean ready, String created) {
        return new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(name).withNamespace("ns")
                .withCreationTimestamp(created).addToLabels("controller-revision-hash", hash).endMetadata()
                .withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase("Running").addNewCondition()
                .withType("Ready").withStatus(ready ? "True" : "False").withLastTransitionTime("2026-01-01T00:00:00Z")
                .endCondition().endStatus().build();
    }
}
