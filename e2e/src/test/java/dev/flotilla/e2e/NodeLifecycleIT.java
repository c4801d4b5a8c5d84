package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.hollownodes.HollowNodeTemplate;
import dev.flotilla.hollownodes.HollowNodes;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node lifecycle controller with a 4 s grace period: a hollow node that stops renewing its
 * Lease turns Ready=Unknown with upstream's reason and message, gets the unreachable NoSchedule and
 * NoExecute taints, and its pods are evicted when their tolerationSeconds run out (a ReplicaSet
 * replaces them on the healthy nodes) while pods with the default 300 s toleration stay.
 */
class NodeLifecycleIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static HollowNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        cluster = ControlPlane.start("--flotilla.controllers.node-monitor-grace-period=4s",
                "--flotilla.controllers.node-monitor-period=1s");
        client = cluster.fabric8Client();
        nodes = new HollowNodes(client, HollowNodeTemplate.of("worker", 3).withLeaseRenewInterval(Duration.ofSeconds(1)))
                .start();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(nodes, client, cluster);
    }

    @Test
    void aNodeThatStopsHeartbeatingIsTaintedAndItsPodsAreEvictedAndReplaced() {
        String ns = "lifecycle";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        client.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder().withNewMetadata().withName("web")
                .endMetadata().withNewSpec().withReplicas(6).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage("registry.local/app:1").endContainer()
                .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists")
                .withEffect("NoExecute").withTolerationSeconds(2L).endToleration()
                .endSpec().endTemplate().endSpec().build()).create();
        Await.until(WAIT, "6 ready pods", () -> ready(ns, "web").size() == 6);
        String victim = ready(ns, "web").get(0).getSpec().getNodeName();
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("patient")
                .addToLabels("app", "patient").endMetadata().withNewSpec().withNodeName(victim).addNewContainer()
                .withName("app").withImage("registry.local/app:1").endContainer().endSpec().build()).create();
        Pod patient = Await.value(WAIT, "patient running", () -> {
            Pod p = client.pods().inNamespace(ns).withName("patient").get();
            return PodWatch.ready(p) ? p : null;
        });
        assertThat(patient.getSpec().getTolerations()).extracting(t -> t.getKey() + ":" + t.getEffect() + ":"
                + t.getTolerationSeconds()).contains("node.kubernetes.io/not-ready:NoExecute:300",
                "node.kubernetes.io/unreachable:NoExecute:300");

        nodes.stopHeartbeat(victim);
        Node unknown = Await.value(WAIT, victim + " Ready=Unknown", () -> {
            Node n = client.nodes().withName(victim).get();
            return n.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
                    && "Unknown".equals(c.getStatus())) ? n : null;
        });
        NodeCondition ready = unknown.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .findFirst().orElseThrow();
        assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        Node tainted = Await.value(WAIT, "unreachable taints", () -> {
            Node n = client.nodes().withName(victim).get();
            return n.getSpec().getTaints().size() >= 2 ? n : null;
        });
        assertThat(tainted.getSpec().getTaints()).extracting(t -> t.getKey() + ":" + t.getEffect())
                .contains("node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute");
        assertThat(cluster.kubectl("get", "node", victim).assertSuccess().output()).contains("NotReady");

        Await.until(WAIT, "web pods evicted from " + victim + " and replaced", () -> {
            List<Pod> running = ready(ns, "web");
            return running.size() == 6 && running.stream().noneMatch(p -> victim.equals(p.getSpec().getNodeName()));
        });
        Pod stillThere = client.pods().inNamespace(ns).withName("patient").get();
        assertThat(stillThere.getMetadata().getDeletionTimestamp()).as("300 s toleration not yet used up").isNull();
    }

    @Test
    void aNodeRegisteredWithoutAStatusIsReportedAsNeverPosted() {
        cluster.kubectl("create", "-f", cluster.file("bare-node.yaml", """
                apiVersion: v1
                kind: Node
                metadata: {name: bare, labels: {kubernetes.io/hostname: bare}}
                """).toString()).assertSuccess();
        NodeCondition ready = Await.value(WAIT, "bare Ready=Unknown", () -> {
            Node n = client.nodes().withName("bare").get();
            return n.getStatus() == null ? null : n.getStatus().getConditions().stream()
                    .filter(c -> "Ready".equals(c.getType()) && "Unknown".equals(c.getStatus())).findFirst().orElse(null);
        });
        assertThat(ready.getReason()).isEqualTo("NodeStatusNeverUpdated");
        assertThat(ready.getMessage()).isEqualTo("Kubelet never posted node status.");
        Await.until(WAIT, "bare gets the unreachable NoSchedule taint", () -> {
            Node n = client.nodes().withName("bare").get();
            return n.getSpec().getTaints() != null && n.getSpec().getTaints().stream()
                    .anyMatch(t -> "node.kubernetes.io/unreachable".equals(t.getKey()) && "NoSchedule".equals(t.getEffect()));
        });
        cluster.kubectl("delete", "node", "bare").assertSuccess();
    }

    private static List<Pod> ready(String ns, String app) {
        return client.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).filter(PodWatch::ready).toList();
    }
}
