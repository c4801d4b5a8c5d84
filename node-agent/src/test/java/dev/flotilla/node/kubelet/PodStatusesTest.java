package dev.flotilla.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.node.cri.v1.ContainerMetadata;
import dev.flotilla.node.cri.v1.ContainerState;
import dev.flotilla.node.cri.v1.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodStatusesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");
    private final PodStatuses statuses = new PodStatuses("10.0.0.5");

    private static Pod pod(String restartPolicy, boolean withInit) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u").endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy)
                .addNewContainer().withName("main").withImage("busybox").endContainer().endSpec();
        if (withInit) {
            pod.editSpec().addNewInitContainer().withName("init").withImage("busybox").endInitContainer().endSpec();
        }
        return pod.build();
    }

    private static ContainerView exited(String name, int attempt, int exitCode) {
        return new ContainerView(ContainerStatus.newBuilder().setId(name + attempt)
                .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(attempt))
                .setState(ContainerState.CONTAINER_EXITED).setExitCode(exitCode)
                .setStartedAt(1_000_000_000L).setFinishedAt(2_000_000_000L).setImageRef("sha256:abc").build());
    }

    private static ContainerView running(String name, int attempt) {
        return new ContainerView(ContainerStatus.newBuilder().setId(name + attempt)
                .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(attempt))
                .setState(ContainerState.CONTAINER_RUNNING).setStartedAt(1_000_000_000L).setImageRef("sha256:abc").build());
    }

    private PodStatus build(Pod pod, Map<String, List<ContainerView>> attempts, Map<String, ContainerWaiting> waiting) {
        return statuses.build(pod, new PodStatuses.Observed(attempts, waiting, true, "10.1.0.7"), NOW);
    }

    private static PodCondition condition(PodStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void runningContainerMakesThePodRunningAndReady() {
        PodStatus status = build(pod("Always", false), Map.of("main", List.of(running("main", 0))), Map.of());
        assertThat(status.getPhase()).isEqualTo("Running");
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(status.getContainerStatuses().get(0).getContainerID()).isEqualTo("containerd://main0");
        assertThat(status.getPodIP()).isEqualTo("10.1.0.7");
        assertThat(status.getHostIP()).isEqualTo("10.0.0.5");
    }

    @Test
    void exitCodesDecideSucceededAndFailedPerRestartPolicy() {
        assertThat(build(pod("Never", false), Map.of("main", List.of(exited("main", 0, 0))), Map.of()).getPhase())
                .isEqualTo("Succeeded");
        PodStatus failed = build(pod("Never", false), Map.of("main", List.of(exited("main", 0, 2))), Map.of());
        assertThat(failed.getPhase()).isEqualTo("Failed");
        assertThat(failed.getContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(condition(failed, "Ready").getReason()).isEqualTo("PodCompleted");
        assertThat(build(pod("Always", false), Map.of("main", List.of(exited("main", 0, 0))), Map.of()).getPhase())
                .isEqualTo("Running");
    }

    @Test
    void backingOffContainerWaitsWithTheLastTerminationAndCountsRestarts() {
        PodStatus status = build(pod("OnFailure", false), Map.of("main", List.of(exited("main", 3, 1), exited("main", 2, 1))),
                Map.of("main", new ContainerWaiting("CrashLoopBackOff", "back-off 40s")));
        var main = status.getContainerStatuses().get(0);
        assertThat(status.getPhase()).isEqualTo("Running");
        assertThat(main.getRestartCount()).isEqualTo(3);
        assertThat(main.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(main.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    }

    @Test
    void unfinishedInitContainersKeepThePodPendingAndMainContainersInitializing() {
        PodStatus status = build(pod("Always", true), Map.of("init", List.of(running("init", 0))), Map.of());
        assertThat(status.getPhase()).isEqualTo("Pending");
        assertThat(condition(status, "Initialized").getMessage()).isEqualTo("containers with incomplete status: [init]");
        assertThat(status.getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("PodInitializing");
    }

    @Test
    void readinessGatesHoldReadyUntilTheirConditionsAreTrueAndOthersConditionsAreKept() {
        Pod pod = new PodBuilder(pod("Always", false)).editSpec().addNewReadinessGate().withConditionType("example.com/lb")
                .endReadinessGate().endSpec().build();
        Map<String, List<ContainerView>> attempts = Map.of("main", List.of(running("main", 0)));
        PodStatus missing = build(pod, attempts, Map.of());
        assertThat(condition(missing, "ContainersReady").getStatus()).isEqualTo("True");
        assertThat(condition(missing, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(missing, "Ready").getReason()).isEqualTo("ReadinessGatesNotReady");
        assertThat(condition(missing, "Ready").getMessage())
                .isEqualTo("corresponding condition of pod readiness gate \"example.com/lb\" does not exist.");

        PodStatus withGate = new io.fabric8.kubernetes.api.model.PodStatusBuilder(missing).addNewCondition()
                .withType("example.com/lb").withStatus("False").endCondition().build();
        PodStatus stillFalse = statuses.build(new PodBuilder(pod).withStatus(withGate).build(),
                new PodStatuses.Observed(attempts, Map.of(), true, "10.1.0.7"), NOW);
        assertThat(condition(stillFalse, "Ready").getMessage())
                .isEqualTo("the status of pod readiness gate \"example.com/lb\" is not \"True\", but False");
        assertThat(condition(stillFalse, "example.com/lb").getStatus()).as("kept, not the kubelet's").isEqualTo("False");

        withGate.getConditions().stream().filter(c -> c.getType().equals("example.com/lb")).forEach(c -> c.setStatus("True"));
        PodStatus ready = statuses.build(new PodBuilder(pod).withStatus(withGate).build(),
                new PodStatuses.Observed(attempts, Map.of(), true, "10.1.0.7"), NOW);
        assertThat(condition(ready, "Ready").getStatus()).isEqualTo("True");
    }

    @Test
    void anUnchangedPodComputesAnEqualStatus() {
        Pod pod = pod("Always", false);
        Map<String, List<ContainerView>> attempts = Map.of("main", List.of(running("main", 0)));
        PodStatus first = build(pod, attempts, Map.of());
        Pod written = new PodBuilder(pod).withStatus(first).build();
        PodStatus again = statuses.build(written, new PodStatuses.Observed(attempts, Map.of(), true, "10.1.0.7"),
                NOW.plusSeconds(30));
        assertThat(again).isEqualTo(first);
    }
}
