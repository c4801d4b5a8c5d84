package dev.flotilla.e2e;

import static dev.flotilla.e2e.NodeAgentCluster.busyboxPod;
import static dev.flotilla.e2e.NodeAgentCluster.containersOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.node.cri.v1.ContainerState;
import dev.flotilla.node.eviction.EvictionSettings;
import dev.flotilla.node.images.BaseImages;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Node-pressure eviction, admission under pressure and image garbage collection on a real node
 * agent and containerd. Pressure is real: the agent is restarted with thresholds above what the
 * machine has ({@code nodefs.available<99.99%}, {@code memory.available<99.99%}), so the signals it
 * reads from the host meet them. Runs in order: image GC, disk pressure, memory pressure, recovery, then
 * evictions for pods over their own local storage limits (emptyDir sizeLimit, ephemeral-storage).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvictionIT {

    private static final String NODE = "evict-1";
    private static final Duration PRESSURE_DEADLINE = Duration.ofSeconds(90);
    private static NodeAgentCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeAgentCluster.start(NODE);
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster);
    }

    private static EvictionSettings settings(String... options) {
        Map<String, String> map = new java.util.HashMap<>();
        map.put("eviction-monitoring-interval", "2s");
        for (int i = 0; i < options.length; i += 2) {
            map.put(options[i], options[i + 1]);
        }
        return EvictionSettings.fromOptions(map);
    }

    @Test
    @Order(1)
    void imageGcRemovesAnUnusedImageButNotOneInUseNorThePauseImage() {
        cluster.create(busyboxPod("in-use", "Always", "exec sleep 3600"));
        cluster.awaitPod("in-use", NodeAgentCluster.inPhase("Running"));
        String echo = PlatformImages.registry().address() + "/" + BaseImages.ECHO_REPOSITORY + ":latest";
        cluster.agent().cri().pullImage(echo);
        assertThat(cluster.agent().cri().imageStatus(echo)).as("the unused image is there before GC").isPresent();

        cluster.restartAgent(settings("image-gc-high-threshold", "1", "image-gc-low-threshold", "0",
                "image-minimum-gc-age", "0s", "image-gc-period", "2s"));
        Await.until(Duration.ofSeconds(60), "the unused echo image removed",
                () -> cluster.agent().cri().imageStatus(echo).isEmpty());
        assertThat(cluster.agent().cri().imageStatus(BaseImages.BUSYBOX)).as("busybox, used by a running pod").isPresent();
        assertThat(cluster.agent().cri().imageStatus(BaseImages.PAUSE)).as("the pinned sandbox image").isPresent();
        assertThat(cluster.awaitPod("in-use", p -> true).getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    @Order(2)
    void diskPressureSetsTheConditionAndTaintEvictsARunningPodAndRefusesNewOnes() {
        Pod running = cluster.awaitPod("in-use", NodeAgentCluster.inPhase("Running"));
        cluster.restartAgent(settings("eviction-hard", "nodefs.available<99.99%"));

        NodeCondition disk = awaitCondition("DiskPressure", "True");
        assertThat(disk.getReason()).isEqualTo("KubeletHasDiskPressure");
        assertThat(disk.getMessage()).isEqualTo("kubelet has disk pressure");
        assertThat(condition("MemoryPressure").getStatus()).as("no memory threshold configured").isEqualTo("False");
        awaitTaints("node.kubernetes.io/disk-pressure");

        Pod evicted = cluster.awaitPod("in-use", NodeAgentCluster.inPhase("Failed"));
        assertThat(evicted.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(evicted.getStatus().getMessage()).matches(
                "The node was low on resource: ephemeral-storage\\. Threshold quantity: \\d+(Ki|Mi|Gi|k|M|G)?, "
                        + "available: \\d+(Ki|Mi|Gi|k|M|G)?\\. (Container main was using \\S+, request is 0, has larger "
                        + "consumption of ephemeral-storage\\. )?");
        PodCondition disruption = evicted.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("DisruptionTarget")).findFirst().orElseThrow();
        assertThat(disruption.getStatus()).isEqualTo("True");
        assertThat(disruption.getReason()).isEqualTo("TerminationByKubelet");
        assertThat(disruption.getMessage()).isEqualTo(evicted.getStatus().getMessage());
        assertThat(evicted.getStatus().getContainerStatuses().get(0).getState().getTerminated())
                .as("the container was stopped").isNotNull();
        String uid = running.getMetadata().getUid();
        Await.until(Duration.ofSeconds(60), "the evicted pod's dead containers removed by container GC",
                () -> cluster.agent().cri().listContainers(containersOf(uid)).isEmpty());
        awaitEvent("in-use", "Evicted", evicted.getStatus().getMessage());

        Pod refused = createOnNode(busyboxPod("refused-disk", "Never", "echo should not run"));
        Pod failed = cluster.awaitPod(refused.getMetadata().getName(), NodeAgentCluster.inPhase("Failed"));
        assertThat(failed.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(failed.getStatus().getMessage()).isEqualTo("Pod was rejected: The node had condition: [DiskPressure]. ");
        assertThat(cluster.agent().cri().listPodSandboxes(NodeAgentCluster.sandboxesOf(failed.getMetadata().getUid())))
                .as("a refused pod never gets a sandbox").isEmpty();
        awaitEvent("refused-disk", "Evicted", "The node had condition: [DiskPressure]. ");
    }

    @Test
    @Order(3)
    void memoryPressureRefusesBestEffortPodsAdmitsOthersAndEvictsThem() {
        cluster.restartAgent(settings("eviction-hard", "memory.available<99.99%"));
        NodeCondition memory = awaitCondition("MemoryPressure", "True");
        assertThat(memory.getReason()).isEqualTo("KubeletHasInsufficientMemory");
        assertThat(memory.getMessage()).isEqualTo("kubelet has insufficient memory available");
        awaitCondition("DiskPressure", "False");
        awaitTaints("node.kubernetes.io/memory-pressure");

        Pod bestEffort = createOnNode(busyboxPod("best-effort", "Never", "echo should not run"));
        Pod refused = cluster.awaitPod(bestEffort.getMetadata().getName(), NodeAgentCluster.inPhase("Failed"));
        assertThat(refused.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(refused.getStatus().getMessage()).isEqualTo("Pod was rejected: The node had condition: [MemoryPressure]. ");

        Pod burstable = new PodBuilder(busyboxPod("burstable", "Always", "exec sleep 3600")).editSpec().editFirstContainer()
                .withNewResources().addToRequests("memory", new Quantity("1Mi")).endResources().endContainer().endSpec().build();
        createOnNode(burstable);
        Pod evicted = cluster.awaitPod("burstable", NodeAgentCluster.inPhase("Failed"));
        assertThat(evicted.getStatus().getReason()).as("admitted under memory pressure, then evicted").isEqualTo("Evicted");
        assertThat(evicted.getStatus().getMessage()).startsWith("The node was low on resource: memory. Threshold quantity: ")
                .containsPattern("available: \\d+(Ki|Mi|Gi|k|M|G)?\\. ");
        Await.until(Duration.ofSeconds(60), "burstable's containers stopped", () -> cluster.agent().cri()
                .listContainers(containersOf(evicted.getMetadata().getUid())).stream()
                .noneMatch(c -> c.getState() == ContainerState.CONTAINER_RUNNING));
    }

    @Test
    @Order(4)
    void liftingTheThresholdsClearsConditionsAndTaintsAndPodsRunAgain() {
        cluster.restartAgent(EvictionSettings.defaults());
        awaitCondition("MemoryPressure", "False");
        awaitCondition("DiskPressure", "False");
        assertThat(condition("MemoryPressure").getReason()).isEqualTo("KubeletHasSufficientMemory");
        assertThat(condition("DiskPressure").getReason()).isEqualTo("KubeletHasNoDiskPressure");
        awaitTaints();
        cluster.create(busyboxPod("after", "Never", "echo fine again"));
        Pod done = cluster.awaitPod("after", NodeAgentCluster.inPhase("Succeeded"));
        assertThat(done.getSpec().getNodeName()).isEqualTo(NODE);
    }

    @Test
    @Order(5)
    void podsOverTheirOwnLocalStorageLimitsAreEvictedWithoutNodePressure() {
        cluster.restartAgent(settings());
        String fill4Mi = "dd if=/dev/zero of=/scratch/fill bs=1024 count=4096; exec sleep 3600";
        cluster.create(withScratch(busyboxPod("sized-scratch", "Always", fill4Mi), "1Mi"));
        cluster.create(new PodBuilder(withScratch(busyboxPod("over-total", "Always", fill4Mi), null)).editSpec()
                .editFirstContainer().withNewResources().addToLimits("ephemeral-storage", new Quantity("1Mi")).endResources()
                .endContainer().endSpec().build());
        cluster.create(withScratch(busyboxPod("within", "Always",
                "dd if=/dev/zero of=/scratch/fill bs=1024 count=1024; exec sleep 3600"), "64Mi"));

        Pod sized = cluster.awaitPod("sized-scratch", NodeAgentCluster.inPhase("Failed"));
        assertThat(sized.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(sized.getStatus().getMessage()).isEqualTo("Usage of EmptyDir volume \"scratch\" exceeds the limit \"1Mi\". ");
        awaitEvent("sized-scratch", "Evicted", sized.getStatus().getMessage());
        Pod overTotal = cluster.awaitPod("over-total", NodeAgentCluster.inPhase("Failed"));
        assertThat(overTotal.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(overTotal.getStatus().getMessage())
                .isEqualTo("Pod ephemeral local storage usage exceeds the total limit of containers 1Mi. ");

        Pod within = cluster.awaitPod("within", NodeAgentCluster.inPhase("Running"));
        assertThat(within.getStatus().getReason()).as("1 MiB of its 64Mi").isNull();
        assertThat(condition("DiskPressure").getStatus()).as("no node pressure involved").isEqualTo("False");
    }

    /** Adds emptyDir {@code scratch} (with {@code sizeLimit} if given) mounted at /scratch in the first container. */
    private static Pod withScratch(Pod pod, String sizeLimit) {
        return new PodBuilder(pod).editSpec().addNewVolume().withName("scratch").withNewEmptyDir()
                .withSizeLimit(sizeLimit == null ? null : new Quantity(sizeLimit)).endEmptyDir().endVolume()
                .editFirstContainer().addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
                .endContainer().endSpec().build();
    }

    /** A pod bound to the node directly (the scheduler keeps pods off a tainted node, the kubelet must refuse them itself). */
    private static Pod createOnNode(Pod pod) {
        return cluster.create(new PodBuilder(pod).editSpec().withNodeName(NODE).endSpec().build());
    }

    private static NodeCondition condition(String type) {
        return client.nodes().withName(NODE).get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static NodeCondition awaitCondition(String type, String status) {
        return Await.value(PRESSURE_DEADLINE, type + "=" + status, () -> {
            NodeCondition condition = condition(type);
            return condition.getStatus().equals(status) ? condition : null;
        });
    }

    /** Waits until the node's pressure taints are exactly {@code keys}, each NoSchedule. */
    private static void awaitTaints(String... keys) {
        Await.until(PRESSURE_DEADLINE, "pressure taints " + List.of(keys), () -> {
            List<Taint> taints = client.nodes().withName(NODE).get().getSpec().getTaints();
            List<String> pressure = taints == null ? List.of() : taints.stream()
                    .filter(t -> t.getKey().endsWith("-pressure")).map(t -> t.getKey() + ":" + t.getEffect()).sorted().toList();
            return pressure.equals(java.util.Arrays.stream(keys).map(k -> k + ":NoSchedule").sorted().toList());
        });
    }

    private static void awaitEvent(String pod, String reason, String message) {
        Await.until(Duration.ofSeconds(30), reason + " event for " + pod, () -> client.v1().events()
                .inNamespace(NodeAgentCluster.NAMESPACE).list().getItems().stream()
                .anyMatch(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())
                        && "Warning".equals(e.getType()) && message.equals(e.getMessage())
                        && "kubelet".equals(e.getSource().getComponent())));
    }
}
