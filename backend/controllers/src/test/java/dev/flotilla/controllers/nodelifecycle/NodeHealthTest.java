package dev.flotilla.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeHealthTest {

    private static final String NOW = "2026-01-01T00:00:00Z";

    @Test
    void silentNodesGetEveryKubeletConditionUnknownWithUpstreamsWords() {
        Node node = new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewStatus().addNewCondition()
                .withType("Ready").withStatus("True").withReason("KubeletReady").withLastHeartbeatTime("2025-12-31T23:59:00Z")
                .endCondition().endStatus().build();
        List<NodeCondition> conditions = NodeHealth.unknownConditions(node, NOW);
        assertThat(conditions).extracting(NodeCondition::getType)
                .containsExactly("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
        assertThat(conditions.get(0).getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(conditions.get(0).getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(conditions.get(0).getLastHeartbeatTime()).isEqualTo("2025-12-31T23:59:00Z");
        assertThat(conditions.get(1).getReason()).isEqualTo("NodeStatusNeverUpdated");
        node.getStatus().setConditions(conditions);
        assertThat(NodeHealth.unknownConditions(node, NOW)).as("already unknown").isNull();
    }

    @Test
    void readyConditionDecidesTheLifecycleTaints() {
        Node node = node("Unknown");
        assertThat(NodeHealth.taints(node, false, NOW)).extracting(t -> t.getKey() + ":" + t.getEffect())
                .containsExactly("dedicated:NoSchedule", "node.kubernetes.io/unreachable:NoSchedule");
        assertThat(NodeHealth.taints(node, true, NOW)).extracting(t -> t.getKey() + ":" + t.getEffect())
                .containsExactly("dedicated:NoSchedule", "node.kubernetes.io/unreachable:NoSchedule",
                        "node.kubernetes.io/unreachable:NoExecute");
        Node notReady = node("False");
        notReady.getSpec().setTaints(NodeHealth.taints(node, true, NOW));
        assertThat(NodeHealth.taints(notReady, true, NOW)).extracting(t -> t.getKey() + ":" + t.getEffect())
                .containsExactly("dedicated:NoSchedule", "node.kubernetes.io/not-ready:NoSchedule",
                        "node.kubernetes.io/not-ready:NoExecute");
        Node healthy = node("True");
        healthy.getSpec().setTaints(NodeHealth.taints(node, true, NOW));
        assertThat(NodeHealth.taints(healthy, true, NOW)).extracting(t -> t.getKey()).containsExactly("dedicated");
    }

    @Test
    void pressureConditionsBecomeNoScheduleTaintsWhileTheyLast() {
        Node node = node("True");
        node.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.NodeConditionBuilder()
                .withType("MemoryPressure").withStatus("True").build());
        node.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.NodeConditionBuilder()
                .withType("DiskPressure").withStatus("False").build());
        List<io.fabric8.kubernetes.api.model.Taint> tainted = NodeHealth.taints(node, true, NOW);
        assertThat(tainted).extracting(t -> t.getKey() + ":" + t.getEffect())
                .containsExactly("dedicated:NoSchedule", "node.kubernetes.io/memory-pressure:NoSchedule");
        node.getSpec().setTaints(tainted);
        assertThat(NodeHealth.taints(node, true, NOW)).as("unchanged").isNull();

        node.getStatus().getConditions().get(1).setStatus("False");
        assertThat(NodeHealth.taints(node, true, NOW)).extracting(t -> t.getKey()).containsExactly("dedicated");
    }

    @Test
    void podsAreEvictedWhenTheirShortestTolerationRunsOut() {
        Node node = node("Unknown");
        node.getSpec().getTaints().add(new TaintBuilder().withKey("node.kubernetes.io/unreachable").withEffect("NoExecute")
                .withTimeAdded(NOW).build());
        assertThat(NoExecuteEviction.deadline(pod(), node)).as("untolerated: now").isEqualTo(Instant.EPOCH);
        Pod tolerant = pod();
        tolerant.getSpec().getTolerations().add(new io.fabric8.kubernetes.api.model.TolerationBuilder()
                .withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(300L).build());
        assertThat(NoExecuteEviction.deadline(tolerant, node)).isEqualTo(Instant.parse(NOW).plusSeconds(300));
        tolerant.getSpec().getTolerations().add(new io.fabric8.kubernetes.api.model.TolerationBuilder()
                .withOperator("Exists").build());
        assertThat(NoExecuteEviction.deadline(tolerant, node)).as("the limited one still counts")
                .isEqualTo(Instant.parse(NOW).plusSeconds(300));
        Pod forever = pod();
        forever.getSpec().getTolerations().add(new io.fabric8.kubernetes.api.model.TolerationBuilder()
                .withOperator("Exists").build());
        assertThat(NoExecuteEviction.deadline(forever, node)).isNull();
    }

    private static Node node(String ready) {
        return new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewSpec()
                .addToTaints(new TaintBuilder().withKey("dedicated").withEffect("NoSchedule").build()).endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus().build();
    }

    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().withNodeName("n").endSpec().build();
    }
}
