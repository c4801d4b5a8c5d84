package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.hollownodes.HollowNodeTemplate;
import dev.flotilla.hollownodes.HollowNodes;
import dev.flotilla.scheduler.Scheduler;
import dev.flotilla.scheduler.SchedulerCommand;
import dev.flotilla.scheduler.SchedulerSettings;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.TempDirs;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The in-process scheduler against the real API server, with hollow nodes as the cluster: a
 * scenario per filter and score asserting placement and upstream's explanation in FailedScheduling
 * events and the PodScheduled condition (including pod anti-affinity spreading, affinity
 * co-location, zone topology spread and preemption with PriorityClasses), re-queueing when a
 * fitting node appears, a second profile from the configuration file (MostAllocated bin packing),
 * priority order, leader election with a second scheduler, and hollow nodes running what is
 * bound to them.
 */
class SchedulerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BIN_PACKING = "bin-packing-scheduler";
    private static final String CONFIG_HEADER = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private final List<HollowNodes> nodeGroups = new ArrayList<>();
    private String ns;

    @BeforeAll
    static void startCluster() throws Exception {
        // The platform setting for the scheduler's --config: a second profile that packs pods onto the fullest node.
        Path config = TempDirs.create("scheduler-config-").resolve("scheduler.yaml");
        Files.writeString(config, CONFIG_HEADER + """
                profiles:
                - schedulerName: default-scheduler
                - schedulerName: bin-packing-scheduler
                  pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      scoringStrategy:
                        type: MostAllocated
                """);
        cluster = ControlPlane.start("--flotilla.scheduler.config=" + config);
        client = cluster.fabric8Client();
    }

    @AfterAll
    static void stopCluster() {
        Closeables.closeAll(client, cluster);
    }

    @BeforeEach
    void namespace(TestInfo test) {
        ns = TestNamespaces.create(client, test, "sched-", 12);
    }

    /** Each scenario sees only its own nodes. */
    @AfterEach
    void removeNodes() {
        for (HollowNodes group : nodeGroups) {
            group.close();
            for (String name : group.nodeNames()) {
                client.nodes().withName(name).delete();
            }
        }
        client.pods().inNamespace(ns).withGracePeriod(0).delete();
        Await.until(WAIT, "scenario nodes gone", () -> client.nodes().list().getItems().isEmpty());
    }

    @Test
    void explainsEachFilterFailureThenPlacesThePodWhenAFittingNodeAppears() {
        nodes(HollowNodeTemplate.of("small", 1).withCapacity("1", "4Gi", "110"));
        nodes(HollowNodeTemplate.of("tainted", 2).withTaints(List.of(taint("node-role", "x", "NoSchedule"))));
        create(pod("big", p -> p.editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("2")).endResources().endContainer().endSpec()));

        String expected = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role: x}. "
                + "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, "
                + "2 Preemption is not helpful for scheduling.";
        awaitFailedScheduling("big", expected::equals);
        PodCondition condition = Await.value(WAIT, "PodScheduled=False", () -> scheduledCondition("big"));
        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getReason()).isEqualTo("Unschedulable");
        assertThat(condition.getMessage()).isEqualTo(expected);

        nodes(HollowNodeTemplate.of("roomy", 1).withCapacity("8", "32Gi", "110"));
        assertThat(boundNode("big")).isEqualTo("roomy-0");
        assertThat(Await.value(WAIT, "Scheduled event", () -> eventMessage("big", "Scheduled")))
                .isEqualTo("Successfully assigned " + ns + "/big to roomy-0");
        Await.until(WAIT, "pod Running and Ready on the hollow node", () -> {
            Pod pod = client.pods().inNamespace(ns).withName("big").get();
            return "Running".equals(pod.getStatus().getPhase()) && pod.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        });
        Lease lease = client.resources(Lease.class).inNamespace("kube-node-lease").withName("roomy-0").get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("roomy-0");
    }

    @Test
    void nodeSelectorAffinityUnschedulableAndNodeNameAreExplained() {
        nodes(HollowNodeTemplate.of("zone-b", 1).withLabels(Map.of("zone", "b")));
        nodes(HollowNodeTemplate.of("cordoned", 1).withLabels(Map.of("zone", "a")));
        client.nodes().withName("cordoned-0").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"unschedulable\":true}}");
        create(pod("selective", p -> p.editSpec().addToNodeSelector("zone", "a").endSpec()));
        awaitFailedScheduling("selective", (
                "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable. "
                        + "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.")::equals);

        create(pod("required", p -> p.editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("zone").withOperator("In")
                        .withValues("b").build())
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().endSpec()));
        assertThat(boundNode("required")).isEqualTo("zone-b-0");

        create(pod("tolerant", p -> p.editSpec().addToNodeSelector("zone", "a").addNewToleration()
                .withKey("node.kubernetes.io/unschedulable").withOperator("Exists").withEffect("NoSchedule")
                .endToleration().endSpec()));
        assertThat(boundNode("tolerant")).isEqualTo("cordoned-0");
    }

    @Test
    void hostPortsAndPodCountAreExplained() {
        nodes(HollowNodeTemplate.of("ports", 1).withCapacity("4", "16Gi", "2"));
        UnaryOperator<PodBuilder> hostPort = p -> p.editSpec().editFirstContainer()
                .withPorts(new ContainerPortBuilder().withContainerPort(80).withHostPort(8080).build())
                .endContainer().endSpec();
        create(pod("first", hostPort));
        assertThat(boundNode("first")).isEqualTo("ports-0");
        create(pod("second", hostPort));
        awaitFailedScheduling("second", (
                "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. "
                        + "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")::equals);
        create(pod("plain", p -> p));
        assertThat(boundNode("plain")).isEqualTo("ports-0");
        create(pod("one-too-many", p -> p));
        awaitFailedScheduling("one-too-many", m -> m.startsWith("0/1 nodes are available: 1 Too many pods."));
    }

    @Test
    void scoresPreferAffinityAvoidPreferNoScheduleAndLeastAllocated() {
        nodes(HollowNodeTemplate.of("plain", 1));
        nodes(HollowNodeTemplate.of("ssd", 1).withLabels(Map.of("disk", "ssd")));
        nodes(HollowNodeTemplate.of("soft-tainted", 1).withLabels(Map.of("disk", "ssd"))
                .withTaints(List.of(taint("spot", "true", "PreferNoSchedule"))));
        create(pod("likes-ssd", p -> p.editSpec().withNewAffinity().withNewNodeAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(50).withNewPreference()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("disk").withOperator("In")
                        .withValues("ssd").build())
                .endPreference().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().endSpec()));
        assertThat(boundNode("likes-ssd")).isEqualTo("ssd-0");

        // plain-0 and ssd-0 are equal but for the pod on ssd-0; soft-tainted-0 is avoided.
        create(pod("heavy", p -> p.editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("2Gi"))
                .endResources().endContainer().endSpec()));
        assertThat(boundNode("heavy")).isEqualTo("plain-0");
    }

    @Test
    void podsCarryTheirClassPriorityAndOnlyOneFitsTheNode() {
        client.resource(new PriorityClassBuilder().withNewMetadata().withName("high-" + ns).endMetadata()
                .withValue(1000).build()).create();
        create(pod("low", p -> p.editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("600m")).endResources().endContainer().endSpec()));
        create(pod("high", p -> p.editSpec().withPriorityClassName("high-" + ns).withPreemptionPolicy("Never")
                .editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("600m")).endResources().endContainer().endSpec()));
        assertThat(client.pods().inNamespace(ns).withName("high").get().getSpec().getPriority()).isEqualTo(1000);
        assertThat(client.pods().inNamespace(ns).withName("low").get().getSpec().getPriority()).isZero();
        awaitFailedScheduling("low", "no nodes available to schedule pods"::equals);
        awaitFailedScheduling("high", "no nodes available to schedule pods"::equals);

        // Which of the two goes first depends on their back-off timers when the node appears (as
        // upstream); priority order itself is SchedulingQueueTest's. Exactly one fits (high may not preempt).
        nodes(HollowNodeTemplate.of("only", 1).withCapacity("1", "4Gi", "110"));
        Await.until(WAIT, "one of the two bound", () -> boundCount("low", "high") == 1);
        String waiting = client.pods().inNamespace(ns).withName("low").get().getSpec().getNodeName() == null
                ? "low" : "high";
        awaitFailedScheduling(waiting, m -> m.startsWith("0/1 nodes are available: 1 Insufficient cpu."));
        assertThat(boundCount("low", "high")).isEqualTo(1);
    }

    @Test
    void requiredAntiAffinitySpreadsReplicasOnePerNodeAndExplainsTheOneLeftOver() {
        nodes(HollowNodeTemplate.of("spread", 3));
        for (int i = 0; i < 4; i++) {
            create(pod("web-" + i, p -> p.editMetadata().addToLabels("app", "web").endMetadata()
                    .editSpec().withNewAffinity().withNewPodAntiAffinity()
                    .addNewRequiredDuringSchedulingIgnoredDuringExecution().withNewLabelSelector()
                    .addToMatchLabels("app", "web").endLabelSelector().withTopologyKey("kubernetes.io/hostname")
                    .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec()));
        }
        Await.until(WAIT, "three of four bound", () -> boundCount("web-0", "web-1", "web-2", "web-3") == 3);
        List<String> nodesUsed = java.util.stream.Stream.of("web-0", "web-1", "web-2", "web-3")
                .map(name -> client.pods().inNamespace(ns).withName(name).get().getSpec().getNodeName())
                .filter(node -> node != null).toList();
        assertThat(nodesUsed).containsExactlyInAnyOrder("spread-0", "spread-1", "spread-2");
        String waiting = java.util.stream.Stream.of("web-0", "web-1", "web-2", "web-3")
                .filter(name -> client.pods().inNamespace(ns).withName(name).get().getSpec().getNodeName() == null)
                .findFirst().orElseThrow();
        awaitFailedScheduling(waiting, ("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. "
                + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.")::equals);
    }

    @Test
    void requiredAffinityWaitsForItsTargetThenCoLocatesInItsZone() {
        nodes(HollowNodeTemplate.of("zone-a", 2).withLabels(Map.of("topology.kubernetes.io/zone", "a")));
        nodes(HollowNodeTemplate.of("zone-b", 1).withLabels(Map.of("topology.kubernetes.io/zone", "b")));
        create(pod("follower", p -> p.editSpec().withNewAffinity().withNewPodAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution().withNewLabelSelector()
                .addToMatchLabels("app", "cache").endLabelSelector().withTopologyKey("topology.kubernetes.io/zone")
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAffinity().endAffinity().endSpec()));
        awaitFailedScheduling("follower", ("0/3 nodes are available: 3 node(s) didn't match pod affinity rules. "
                + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")::equals);

        create(pod("cache", p -> p.editMetadata().addToLabels("app", "cache").endMetadata()
                .editSpec().addToNodeSelector("topology.kubernetes.io/zone", "b").endSpec()));
        assertThat(boundNode("cache")).isEqualTo("zone-b-0");
        assertThat(boundNode("follower")).as("moved back to the queue when its target was bound").isEqualTo("zone-b-0");
    }

    @Test
    void topologySpreadKeepsZonesWithinMaxSkewAndExplainsWhy() {
        String zone = "topology.kubernetes.io/zone";
        nodes(HollowNodeTemplate.of("zone-a", 1).withLabels(Map.of(zone, "a")));
        nodes(HollowNodeTemplate.of("zone-b", 1).withLabels(Map.of(zone, "b"))
                .withTaints(List.of(taint("zone", "b", "NoSchedule"))));
        nodes(HollowNodeTemplate.of("nozone", 1));
        UnaryOperator<PodBuilder> spread = p -> p.editMetadata().addToLabels("app", "web").endMetadata().editSpec()
                .addNewTopologySpreadConstraint().withMaxSkew(1).withTopologyKey(zone).withWhenUnsatisfiable("DoNotSchedule")
                .withNewLabelSelector().addToMatchLabels("app", "web").endLabelSelector().endTopologySpreadConstraint()
                .endSpec();
        create(pod("web-0", spread));
        assertThat(boundNode("web-0")).isEqualTo("zone-a-0");

        // The tainted zone b still counts as a domain with no pods (nodeTaintsPolicy Ignore by default).
        create(pod("web-1", spread));
        awaitFailedScheduling("web-1", ("0/3 nodes are available: 1 node(s) didn't match pod topology spread constraints, "
                + "1 node(s) didn't match pod topology spread constraints (missing required label), "
                + "1 node(s) had untolerated taint {zone: b}. preemption: 0/3 nodes are available: "
                + "1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.")::equals);

        client.nodes().withName("zone-b-0").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"taints\":null}}");
        assertThat(boundNode("web-1")).isEqualTo("zone-b-0");
    }

    @Test
    void aHigherPriorityPodPreemptsALowerOneAndIsScheduledOnceItHasGone() {
        client.resource(new PriorityClassBuilder().withNewMetadata().withName("low-" + ns).endMetadata()
                .withValue(100).build()).create();
        client.resource(new PriorityClassBuilder().withNewMetadata().withName("high-" + ns).endMetadata()
                .withValue(1000).build()).create();
        nodes(HollowNodeTemplate.of("preempt", 1).withCapacity("1", "4Gi", "110"));
        UnaryOperator<PodBuilder> cpu600m = p -> p.editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("600m")).endResources().endContainer().endSpec();
        // The finalizer holds the victim while terminating, so what preemption did to it can be seen.
        create(pod("victim", p -> cpu600m.apply(p).editMetadata().addToFinalizers("flotilla.dev/test-hold").endMetadata()
                .editSpec().withPriorityClassName("low-" + ns).endSpec()));
        assertThat(boundNode("victim")).isEqualTo("preempt-0");
        create(pod("polite", p -> cpu600m.apply(p).editSpec().withPriorityClassName("high-" + ns)
                .withPreemptionPolicy("Never").endSpec()));
        awaitFailedScheduling("polite", ("0/1 nodes are available: 1 Insufficient cpu. "
                + "preemption: not eligible due to preemptionPolicy=Never.")::equals);

        create(pod("urgent", p -> cpu600m.apply(p).editSpec().withPriorityClassName("high-" + ns).endSpec()));
        String urgentUid = client.pods().inNamespace(ns).withName("urgent").get().getMetadata().getUid();
        awaitFailedScheduling("urgent", "0/1 nodes are available: 1 Insufficient cpu."::equals);
        assertThat(Await.value(WAIT, "nominatedNodeName", () -> {
            Pod urgent = client.pods().inNamespace(ns).withName("urgent").get();
            return urgent.getStatus() == null ? null : urgent.getStatus().getNominatedNodeName();
        })).isEqualTo("preempt-0");
        Pod victim = Await.value(WAIT, "victim terminating", () -> {
            Pod current = client.pods().inNamespace(ns).withName("victim").get();
            return current.getMetadata().getDeletionTimestamp() == null ? null : current;
        });
        PodCondition disruption = victim.getStatus().getConditions().stream()
                .filter(c -> "DisruptionTarget".equals(c.getType())).findFirst().orElseThrow();
        assertThat(disruption.getStatus()).isEqualTo("True");
        assertThat(disruption.getReason()).isEqualTo("PreemptionByScheduler");
        assertThat(disruption.getMessage()).isEqualTo("default-scheduler: preempting to accommodate a higher priority pod");
        assertThat(Await.value(WAIT, "Preempted event", () -> eventMessage("victim", "Preempted")))
                .isEqualTo("Preempted by pod " + urgentUid + " on node preempt-0");
        assertThat(client.pods().inNamespace(ns).withName("urgent").get().getSpec().getNodeName())
                .as("the victim still holds its cpu while terminating").isNull();

        client.pods().inNamespace(ns).withName("victim").edit(p -> new PodBuilder(p).editMetadata()
                .withFinalizers(List.of()).endMetadata().build());
        assertThat(boundNode("urgent")).isEqualTo("preempt-0");
        assertThat(client.pods().inNamespace(ns).withName("polite").get().getSpec().getNodeName()).isNull();
    }

    private long boundCount(String... pods) {
        return java.util.Arrays.stream(pods)
                .map(name -> client.pods().inNamespace(ns).withName(name).get().getSpec().getNodeName())
                .filter(node -> node != null && !node.isEmpty()).count();
    }

    @Test
    void aSecondSchedulerWaitsForTheLeaseAndNoPodIsBoundTwice() throws Exception {
        try (Scheduler second = new Scheduler(client, SchedulerSettings.defaults().withIdentity("second-scheduler"),
                new SimpleMeterRegistry())) {
            second.start();
            Lease lease = Await.value(WAIT, "scheduler lease", () -> client.resources(Lease.class).inNamespace("kube-system")
                    .withName("flotilla-scheduler").get());
            assertThat(lease.getSpec().getHolderIdentity()).isNotEqualTo("second-scheduler");
            assertThat(second.isLeading()).isFalse();

            nodes(HollowNodeTemplate.of("pair", 2));
            for (int i = 0; i < 20; i++) {
                create(pod("p" + i, p -> p));
            }
            for (int i = 0; i < 20; i++) {
                boundNode("p" + i);
            }
            Await.until(WAIT, "one Scheduled event per pod", () -> scheduledEvents().size() == 20);
            assertThat(scheduledEvents()).extracting(e -> e.getInvolvedObject().getName()).doesNotHaveDuplicates();
            assertThat(second.isLeading()).isFalse();
        }
        String metrics = cluster.admin().get("/metrics").body();
        assertThat(metrics).contains("scheduler_schedule_attempts_total{profile=\"default-scheduler\",result=\"scheduled\"}")
                .contains("scheduler_pending_pods{queue=\"active\"}")
                .contains("scheduler_scheduling_attempt_duration_seconds");
    }

    @Test
    void aBinPackingProfileFillsOneNodeWhereTheDefaultProfileSpreadsAndOtherSchedulersPodsAreLeftAlone() {
        nodes(HollowNodeTemplate.of("pack", 3).withCapacity("4", "16Gi", "110"));
        create(pod("for-someone-else", p -> p.editSpec().withSchedulerName("someone-else").endSpec()));
        // cpu and memory in equal shares of the node, so BalancedAllocation scores every node alike and
        // NodeResourcesFit's strategy decides.
        UnaryOperator<PodBuilder> quarterOfANode = p -> p.editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("4Gi"))
                .endResources().endContainer().endSpec();
        for (int i = 0; i < 3; i++) {
            create(pod("spread-" + i, quarterOfANode));
        }
        java.util.Set<String> spread = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            spread.add(boundNode("spread-" + i));
        }
        assertThat(spread).as("LeastAllocated: one pod per node").hasSize(3);

        for (int i = 0; i < 3; i++) {
            create(pod("packed-" + i, p -> quarterOfANode.apply(p).editSpec().withSchedulerName(BIN_PACKING).endSpec()));
        }
        java.util.Set<String> packed = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            packed.add(boundNode("packed-" + i));
        }
        assertThat(packed).as("MostAllocated: all on the node they fill").hasSize(1);

        Event scheduled = Await.value(WAIT, "Scheduled event of packed-0", () -> scheduledEvents().stream()
                .filter(e -> "packed-0".equals(e.getInvolvedObject().getName())).findFirst().orElse(null));
        assertThat(scheduled.getSource().getComponent()).isEqualTo(BIN_PACKING);
        assertThat(scheduled.getReportingComponent()).isEqualTo(BIN_PACKING);
        assertThat(scheduledEvents().stream().filter(e -> "spread-0".equals(e.getInvolvedObject().getName())).findFirst()
                .orElseThrow().getReportingComponent()).isEqualTo("default-scheduler");

        // Created before all the others, it is still pending, without a word from this scheduler.
        assertThat(client.pods().inNamespace(ns).withName("for-someone-else").get().getSpec().getNodeName()).isNull();
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .noneMatch(e -> "for-someone-else".equals(e.getInvolvedObject().getName()));
        assertThat(cluster.admin().get("/metrics").body())
                .contains("scheduler_schedule_attempts_total{profile=\"" + BIN_PACKING + "\",result=\"scheduled\"}");
    }

    @Test
    void aSchedulerProcessOfItsOwnServesItsProfileOnItsOwnLease() throws Exception {
        Path config = TempDirs.create("scheduler-config-").resolve("own.yaml");
        Files.writeString(config, CONFIG_HEADER + """
                leaderElection:
                  leaderElect: true
                  resourceNamespace: kube-system
                  resourceName: own-scheduler
                profiles:
                - schedulerName: own-scheduler
                """);
        nodes(HollowNodeTemplate.of("own", 1));
        create(pod("mine", p -> p.editSpec().withSchedulerName("own-scheduler").endSpec()));
        // As `flotilla scheduler --config FILE` runs it, with the scheduler's own credentials.
        try (SchedulerCommand.Running own = SchedulerCommand.start("--kubeconfig",
                cluster.stateDir().resolve("scheduler.kubeconfig").toString(), "--config", config.toString())) {
            assertThat(boundNode("mine")).isEqualTo("own-0");
            Lease lease = Await.value(WAIT, "own-scheduler lease", () -> client.resources(Lease.class)
                    .inNamespace("kube-system").withName("own-scheduler").get());
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
            assertThat(own.scheduler().isLeading()).isTrue();
            Event scheduled = Await.value(WAIT, "Scheduled event of mine", () -> scheduledEvents().stream()
                    .filter(e -> "mine".equals(e.getInvolvedObject().getName())).findFirst().orElse(null));
            assertThat(scheduled.getReportingComponent()).isEqualTo("own-scheduler");
        }
        assertThatThrownBy(() -> SchedulerCommand.start("--kubeconfig", "k", "--config", config + ".missing"))
                .hasMessageStartingWith("failed to read scheduler configuration file");
        assertThatThrownBy(() -> SchedulerCommand.start("--config", config.toString()))
                .hasMessage("--kubeconfig is required");
    }

    @Test
    void anInvalidConfigurationFileStopsTheControlPlaneFromStarting() throws Exception {
        Path bad = TempDirs.create("scheduler-config-").resolve("bad.yaml");
        Files.writeString(bad, CONFIG_HEADER + "profiles:\n- schedulerName: a\n- schedulerName: a\n"
                + "  pluginConfig:\n  - name: NodeResourcesFit\n    args: {scoringStrategy: {type: Tightest}}\n");
        assertThatThrownBy(() -> cluster.startAnotherServerWith("--flotilla.scheduler.config=" + bad).stop())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("invalid scheduler configuration " + bad + ": [profiles[1].pluginConfig[0].args.scoringStrategy"
                        + ".type: Unsupported value: \"Tightest\": supported values: \"LeastAllocated\", \"MostAllocated\", "
                        + "\"RequestedToCapacityRatio\", profiles[1].schedulerName: Duplicate value: \"a\"]");
    }

    private List<Event> scheduledEvents() {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "Scheduled".equals(e.getReason())).toList();
    }

    private void nodes(HollowNodeTemplate template) {
        nodeGroups.add(new HollowNodes(client, template.withLeaseRenewInterval(Duration.ofSeconds(10))).start());
    }

    private static Taint taint(String key, String value, String effect) {
        return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
    }

    private Pod pod(String name, UnaryOperator<PodBuilder> customize) {
        return customize.apply(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.local/app:1").endContainer().endSpec())
                .build();
    }

    private void create(Pod pod) {
        client.pods().inNamespace(ns).resource(pod).create();
    }

    private String boundNode(String pod) {
        try {
            return Await.value(WAIT, pod + " bound",
                    () -> client.pods().inNamespace(ns).withName(pod).get().getSpec().getNodeName());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; events seen: " + client.v1().events().inNamespace(ns).list()
                    .getItems().stream().map(ev -> ev.getInvolvedObject().getName() + " " + ev.getReason() + ": "
                            + ev.getMessage()).toList(), e);
        }
    }

    /** Waits for a FailedScheduling event about {@code pod} whose message passes {@code check}. */
    private void awaitFailedScheduling(String pod, java.util.function.Predicate<String> check) {
        try {
            Await.until(WAIT, "FailedScheduling for " + pod, () -> eventMessages(pod, "FailedScheduling").stream().anyMatch(check));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; messages seen: " + eventMessages(pod, "FailedScheduling"), e);
        }
    }

    private String eventMessage(String pod, String reason) {
        List<String> messages = eventMessages(pod, reason);
        return messages.isEmpty() ? null : messages.get(messages.size() - 1);
    }

    /** Messages of the events with {@code reason} about {@code pod}, oldest first. */
    private List<String> eventMessages(String pod, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .sorted(java.util.Comparator.comparing(e -> e.getEventTime() == null ? "" : e.getEventTime().getTime()))
                .map(Event::getMessage).toList();
    }

    private PodCondition scheduledCondition(String pod) {
        Pod current = client.pods().inNamespace(ns).withName(pod).get();
        return current.getStatus() == null ? null : current.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
    }
}
