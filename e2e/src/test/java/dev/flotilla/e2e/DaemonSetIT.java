package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.hollownodes.HollowNodeTemplate;
import dev.flotilla.hollownodes.HollowNodes;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The DaemonSet controller on three hollow nodes with the real scheduler, kubectl as the client:
 * one pod per eligible node (taints, automatic tolerations on a cordoned node, nodeSelector changes),
 * RollingUpdate with maxUnavailable and with maxSurge, kubectl rollout status/history/undo.
 */
class DaemonSetIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static HollowNodes nodes;
    private static List<String> names;
    private String ns;

    @BeforeAll
    static void start() throws Exception {
        cluster = ControlPlane.start();
        client = cluster.fabric8Client();
        nodes = new HollowNodes(client, HollowNodeTemplate.of("worker", 3).withLeaseRenewInterval(Duration.ofSeconds(10)))
                .start();
        Await.until(WAIT, "3 nodes", () -> client.nodes().list().getItems().size() == 3);
        names = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).sorted().toList();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(nodes, client, cluster);
    }

    @BeforeEach
    void namespace(TestInfo test) {
        ns = TestNamespaces.create(client, test, "ds-", 20);
    }

    @Test
    void runsOnePodPerEligibleNodeHonouringTaintsSelectorsAndCordons() {
        String tainted = names.get(2);
        String cordoned = names.get(0);
        String edge = names.get(1);
        cluster.kubectl("taint", "node", tainted, "dedicated=db:NoSchedule").assertSuccess();
        cluster.kubectl("cordon", cordoned).assertSuccess();
        try {
            client.resource(daemonSet("agent", UnaryOperator.identity())).create();
            DaemonSet agent = awaitSet("agent", s -> settled(s, 2));
            assertThat(agent.getStatus().getCurrentNumberScheduled()).isEqualTo(2);
            assertThat(agent.getStatus().getNumberMisscheduled()).isZero();
            assertThat(agent.getStatus().getUpdatedNumberScheduled()).isEqualTo(2);
            assertThat(nodesOf("agent")).containsExactly(cordoned, edge);
            Pod pod = podsOf("agent").get(0);
            assertThat(pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                    .getNodeSelectorTerms().get(0).getMatchFields().get(0).getKey()).isEqualTo("metadata.name");
            assertThat(pod.getSpec().getTolerations()).extracting(t -> t.getKey() + ":" + t.getEffect())
                    .contains("node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/unreachable:NoExecute",
                            "node.kubernetes.io/unschedulable:NoSchedule", "node.kubernetes.io/disk-pressure:NoSchedule");
            assertThat(pod.getMetadata().getLabels()).containsKeys("controller-revision-hash", "pod-template-generation");
            assertThat(pod.getMetadata().getName()).startsWith("agent-");

            client.resource(daemonSet("tolerant", b -> b.editSpec().editTemplate().editSpec().addNewToleration()
                    .withKey("dedicated").withOperator("Exists").withEffect("NoSchedule").endToleration().endSpec()
                    .endTemplate().endSpec())).create();
            awaitSet("tolerant", s -> settled(s, 3));
            assertThat(nodesOf("tolerant")).containsExactlyElementsOf(names);

            cluster.kubectl("label", "node", edge, "role=edge").assertSuccess();
            client.resource(daemonSet("edge", b -> b.editSpec().editTemplate().editSpec()
                    .addToNodeSelector("role", "edge").endSpec().endTemplate().endSpec())).create();
            awaitSet("edge", s -> settled(s, 1));
            assertThat(nodesOf("edge")).containsExactly(edge);
            cluster.kubectl("label", "node", edge, "role-").assertSuccess();
            Await.until(WAIT, "the edge pod removed once its node stops matching", () -> podsOf("edge").isEmpty());
            awaitSet("edge", s -> s.getStatus().getDesiredNumberScheduled() == 0
                    && s.getStatus().getCurrentNumberScheduled() == 0);

            assertThat(cluster.kubectl("-n", ns, "get", "events", "--field-selector", "involvedObject.name=agent",
                    "-o", "custom-columns=REASON:.reason,MESSAGE:.message").assertSuccess().output())
                    .contains("SuccessfulCreate").contains("Created pod: agent-");
        } finally {
            cluster.kubectl("taint", "node", tainted, "dedicated-");
            cluster.kubectl("uncordon", cordoned);
        }
    }

    @Test
    void rollsOutNodeByNodeAndRollsBackWithKubectl() {
        client.resource(daemonSet("roll", UnaryOperator.identity())).create();
        assertThat(cluster.kubectl("-n", ns, "rollout", "status", "daemonset/roll", "--timeout=100s").assertSuccess()
                .output()).contains("daemon set \"roll\" successfully rolled out");
        try (PodWatch watch = new PodWatch(client, ns, Map.of("app", "roll"))) {
            awaitSet("roll", s -> settled(s, 3));
            watch.arm(active -> active.stream().filter(PodWatch::ready).count() >= 2);
            cluster.kubectl("-n", ns, "set", "image", "daemonset/roll", "app=registry.local/app:2").assertSuccess();
            cluster.kubectl("-n", ns, "rollout", "status", "daemonset/roll", "--timeout=100s").assertSuccess();
            DaemonSet rolled = awaitSet("roll", s -> settled(s, 3) && s.getStatus().getUpdatedNumberScheduled() == 3);
            assertThat(rolled.getStatus().getNumberAvailable()).isEqualTo(3);
            assertThat(watch.violation()).as("more than maxUnavailable=1 node without a ready pod").isNull();
            Await.until(WAIT, "all at app:2", () -> imagesOf("roll").equals(List.of("registry.local/app:2",
                    "registry.local/app:2", "registry.local/app:2")));
        }
        assertThat(cluster.kubectl("-n", ns, "rollout", "history", "daemonset/roll").assertSuccess().output())
                .containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");
        assertThat(cluster.kubectl("-n", ns, "rollout", "undo", "daemonset/roll").assertSuccess().output())
                .contains("daemonset.apps/roll rolled back");
        cluster.kubectl("-n", ns, "rollout", "status", "daemonset/roll", "--timeout=100s").assertSuccess();
        Await.until(WAIT, "all back at app:1", () -> imagesOf("roll").equals(List.of("registry.local/app:1",
                "registry.local/app:1", "registry.local/app:1")));
    }

    @Test
    void maxSurgeStartsTheNewPodBeforeTheOldOneGoes() {
        client.resource(daemonSet("surge", b -> b.editSpec().withNewUpdateStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate().endUpdateStrategy().endSpec())).create();
        awaitSet("surge", s -> settled(s, 3));
        try (PodWatch watch = new PodWatch(client, ns, Map.of("app", "surge"))) {
            watch.arm(active -> active.stream().filter(PodWatch::ready).count() >= 3);
            cluster.kubectl("-n", ns, "set", "image", "daemonset/surge", "app=registry.local/app:2").assertSuccess();
            cluster.kubectl("-n", ns, "rollout", "status", "daemonset/surge", "--timeout=100s").assertSuccess();
            Await.until(WAIT, "all at app:2", () -> imagesOf("surge").equals(List.of("registry.local/app:2",
                    "registry.local/app:2", "registry.local/app:2")));
            assertThat(watch.violation()).as("a node went without a ready pod").isNull();
            assertThat(watch.maxActive()).as("at most one surge pod at a time; at the most: %s", watch.atMaxActive())
                    .isLessThanOrEqualTo(4);
        }
    }

    private DaemonSet daemonSet(String name, UnaryOperator<DaemonSetBuilder> customize) {
        return customize.apply(new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.local/app:1").endContainer()
                .endSpec().endTemplate().endSpec()).build();
    }

    private static boolean settled(DaemonSet s, int nodes) {
        return s.getStatus() != null && s.getStatus().getDesiredNumberScheduled() == nodes
                && s.getStatus().getNumberReady() == nodes
                && s.getMetadata().getGeneration().equals(s.getStatus().getObservedGeneration());
    }

    private DaemonSet awaitSet(String name, Predicate<DaemonSet> condition) {
        DaemonSet[] found = new DaemonSet[1];
        Await.until(WAIT, "daemonset " + name, () -> {
            found[0] = client.apps().daemonSets().inNamespace(ns).withName(name).get();
            return found[0] != null && condition.test(found[0]);
        });
        return found[0];
    }

    private List<Pod> podsOf(String app) {
        return client.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private List<String> nodesOf(String app) {
        return podsOf(app).stream().map(p -> p.getSpec().getNodeName()).sorted().toList();
    }

    private List<String> imagesOf(String app) {
        return podsOf(app).stream().map(p -> p.getSpec().getContainers().get(0).getImage()).sorted().toList();
    }
}
