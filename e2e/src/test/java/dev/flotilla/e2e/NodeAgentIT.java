package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.pki.CertificateSpec;
import dev.flotilla.api.pki.IssuedCertificate;
import dev.flotilla.api.pki.PemFiles;
import dev.flotilla.apiserver.pki.ClusterCertificates;
import dev.flotilla.node.NodeAgent;
import dev.flotilla.node.NodeAgentConfig;
import dev.flotilla.node.cri.v1.ContainerFilter;
import dev.flotilla.node.cri.v1.PodSandboxFilter;
import dev.flotilla.node.runtime.Mounts;
import dev.flotilla.node.server.KubeletServer;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.FreePorts;
import dev.flotilla.testsupport.HttpsClient;
import dev.flotilla.testsupport.NodePackages;
import dev.flotilla.testsupport.TempDirs;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node agent against real containerd, with the control plane and its scheduler: pods run as
 * containers, their logs reach {@code kubectl logs} through the API server, and their status, back-off,
 * deletion and an agent restart behave as a kubelet's. Needs root (CI runs as root).
 */
class NodeAgentIT {

    private static final String NODE = "agent-1";
    private static final Duration POD_DEADLINE = Duration.ofSeconds(90);

    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static Path stateDir;
    private static NodeAgentConfig config;
    private static NodeAgent agent;
    private static String podSubnetPrefix;

    @BeforeAll
    static void start() throws Exception {
        NodePackages.assumeRootAndInstall();
        cluster = ControlPlane.start("--flotilla.apiserver.kubelet.allow-local-proxy-targets=true");
        client = cluster.fabric8Client(Duration.ofSeconds(30));
        stateDir = TempDirs.create("flotilla-agent-");
        podSubnetPrefix = "10.251." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
        // Until the network part of the agent writes it, a plain ptp + host-local network on a fixed range.
        Path cniConf = Files.createDirectories(stateDir.resolve("cni/net.d"));
        Files.writeString(cniConf.resolve("10-test.conflist"), """
                {"cniVersion": "0.4.0", "name": "test-pods", "plugins": [
                  {"type": "ptp", "ipMasq": false, "ipam": {"type": "host-local",
                    "dataDir": "%s", "ranges": [[{"subnet": "%s0/24"}]]}}]}
                """.formatted(stateDir.resolve("cni/ipam"), podSubnetPrefix));
        ClusterCertificates certificates = cluster.server().context().getBean(ClusterCertificates.class);
        IssuedCertificate serving = certificates.ca().issue(CertificateSpec.server("system:node:" + NODE,
                List.of(NODE, "localhost"), List.of("127.0.0.1"), Duration.ofDays(1)));
        Path pki = Files.createDirectories(stateDir.resolve("pki"));
        PemFiles.write(pki.resolve("kubelet.crt"), PemFiles.toPem(serving.certificate()), false);
        PemFiles.write(pki.resolve("kubelet.key"), PemFiles.toPem(serving.privateKey()), true);
        config = new NodeAgentConfig(NODE, "127.0.0.1", stateDir, cluster.kubeconfigFor("system:node:" + NODE, "system:nodes"),
                null, "containerd", cniConf, Path.of("/usr/lib/cni"), "127.0.0.1", FreePorts.next(),
                pki.resolve("kubelet.crt"), pki.resolve("kubelet.key"), cluster.pkiDir().resolve("ca.crt"),
                KubeletServer.DEFAULT_ALLOWED_USERS);
        agent = new NodeAgent(config).start();
        Await.until(POD_DEADLINE, "node Ready", () -> {
            var node = client.nodes().withName(NODE).get();
            return node != null && node.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.pods().inNamespace("default").withGracePeriod(0).delete();
        }
        if (agent != null) {
            for (var sandbox : agent.cri().listPodSandboxes()) {
                agent.cri().stopPodSandbox(sandbox.getId());
                agent.cri().removePodSandbox(sandbox.getId());
            }
            agent.close();
        }
        if (stateDir != null) {
            Mounts.unmountAll(stateDir);
            TempDirs.deleteRecursively(stateDir);
        }
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void registersTheNodeWithItsRuntimeAndLease() {
        var node = client.nodes().withName(NODE).get();
        assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", NODE)
                .containsEntry("kubernetes.io/os", "linux").containsKey("kubernetes.io/arch");
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://");
        assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods", "ephemeral-storage");
        assertThat(node.getStatus().getAddresses()).anyMatch(a -> a.getType().equals("InternalIP"));
        assertThat(client.leases().inNamespace("kube-node-lease").withName(NODE).get().getSpec().getHolderIdentity())
                .isEqualTo(NODE);
    }

    @Test
    void busyboxPodEchoesIntoKubectlLogsAndSucceeds() {
        create(pod("echo", "Never", "echo hello from flotilla"));
        Pod done = awaitPod("echo", p -> "Succeeded".equals(p.getStatus().getPhase()));
        ContainerStatus main = done.getStatus().getContainerStatuses().get(0);
        assertThat(main.getState().getTerminated().getExitCode()).isZero();
        assertThat(main.getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(main.getContainerID()).startsWith("containerd://");
        assertThat(main.getImageID()).isNotEmpty();
        assertThat(done.getStatus().getPodIP()).startsWith(podSubnetPrefix);
        assertThat(done.getStatus().getHostIP()).isEqualTo("127.0.0.1");
        Command.Result logs = cluster.kubectl("logs", "echo");
        logs.assertSuccess();
        assertThat(logs.output()).isEqualTo("hello from flotilla\n");
    }

    @Test
    void nodeIsNotReadyWhileContainerdIsDownAndReadyWhenItReturns() {
        agent.containerd().close();
        Await.until(POD_DEADLINE, "node NotReady", () -> readyCondition().getStatus().equals("False"));
        assertThat(readyCondition().getReason()).isEqualTo("KubeletNotReady");
        assertThat(readyCondition().getMessage()).contains("container runtime is down");
        agent.containerd().start();
        Await.until(POD_DEADLINE, "node Ready again", () -> readyCondition().getStatus().equals("True"));
    }

    private static io.fabric8.kubernetes.api.model.NodeCondition readyCondition() {
        return client.nodes().withName(NODE).get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    }

    @Test
    void kubeletApiAcceptsOnlyTheApiServersClientCertificate() {
        String kubelet = "https://127.0.0.1:" + agent.kubeletPort();
        var admin = HttpsClient.withClientCertificate(kubelet, cluster.pkiDir(), "admin").get("/healthz");
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThatThrownBy(() -> HttpsClient.anonymous(kubelet, cluster.pkiDir()).get("/healthz"))
                .as("no client certificate: the TLS handshake fails").isInstanceOf(RuntimeException.class);
    }

    @Test
    void kubectlLogsFollowsARunningContainerUntilItExits() {
        create(pod("ticker", "Never", "for i in 1 2 3; do echo tick $i; sleep 1; done"));
        awaitPod("ticker", p -> "Running".equals(p.getStatus().getPhase()));
        Command.Result follow = cluster.kubectl("logs", "-f", "ticker");
        assertThat(follow.assertSuccess().output()).isEqualTo("tick 1\ntick 2\ntick 3\n");
        assertThat(cluster.kubectl("logs", "ticker", "--tail=1").output()).isEqualTo("tick 3\n");
    }

    @Test
    void crashingContainerBacksOffWithGrowingRestartCount() {
        create(pod("crasher", "Always", "echo crashing; exit 3"));
        Pod crashing = awaitPod("crasher", p -> statusOf(p).map(s -> s.getRestartCount() >= 2
                && s.getState().getWaiting() != null
                && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason())).orElse(false));
        ContainerStatus status = crashing.getStatus().getContainerStatuses().get(0);
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(status.getState().getWaiting().getMessage()).contains("back-off").contains("crasher");
        assertThat(crashing.getStatus().getPhase()).isEqualTo("Running");
        Command.Result previous = cluster.kubectl("logs", "crasher", "--previous");
        assertThat(previous.assertSuccess().output()).isEqualTo("crashing\n");
    }

    @Test
    void initContainersRunInOrderBeforeTheMainOne() {
        Pod pod = new PodBuilder(pod("init-order", "Never", "echo main"))
                .editSpec()
                .addNewInitContainer().withName("first").withImage("busybox").withCommand("sh", "-c", "sleep 1; echo first")
                .endInitContainer()
                .addNewInitContainer().withName("second").withImage("busybox").withCommand("sh", "-c", "echo second")
                .endInitContainer()
                .endSpec().build();
        create(pod);
        Pod done = awaitPod("init-order", p -> "Succeeded".equals(p.getStatus().getPhase()));
        var first = done.getStatus().getInitContainerStatuses().get(0).getState().getTerminated();
        var second = done.getStatus().getInitContainerStatuses().get(1).getState().getTerminated();
        var main = done.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        assertThat(Instant.parse(second.getStartedAt())).isAfterOrEqualTo(Instant.parse(first.getFinishedAt()));
        assertThat(Instant.parse(main.getStartedAt())).isAfterOrEqualTo(Instant.parse(second.getFinishedAt()));
        assertThat(done.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Initialized") && c.getStatus().equals("True"));
        assertThat(cluster.kubectl("logs", "init-order", "-c", "first").output()).isEqualTo("first\n");
    }

    @Test
    void environmentFromValuesFieldsAndVariableReferences() {
        Pod pod = new PodBuilder(pod("env", "Never", "echo $GREETING $(NAME) $POD '$$(NAME)'"))
                .editSpec().editFirstContainer()
                .addNewEnv().withName("NAME").withValue("world").endEnv()
                .addNewEnv().withName("GREETING").withValue("hello-$(NAME)").endEnv()
                .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .endContainer().endSpec().build();
        create(pod);
        awaitPod("env", p -> "Succeeded".equals(p.getStatus().getPhase()));
        // $(NAME) in the command is the kubelet's expansion; $$(NAME) its escape for a literal $(NAME).
        assertThat(cluster.kubectl("logs", "env").output()).isEqualTo("hello-world world env $(NAME)\n");
    }

    @Test
    void resourceLimitsBecomeTheContainersCgroupLimits() {
        Pod pod = new PodBuilder(pod("limited", "Never",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us"))
                .editSpec().editFirstContainer().withNewResources()
                .addToLimits("memory", new Quantity("64Mi")).addToLimits("cpu", new Quantity("500m"))
                .endResources().endContainer().endSpec().build();
        create(pod);
        awaitPod("limited", p -> "Succeeded".equals(p.getStatus().getPhase()));
        assertThat(cluster.kubectl("logs", "limited").output()).isEqualTo("67108864\n50000\n");
    }

    @Test
    void deletingAPodStopsAndRemovesItsContainersAndSandbox() {
        Pod pod = new PodBuilder(pod("doomed", "Always", "sleep 3600"))
                .editSpec().withTerminationGracePeriodSeconds(2L).endSpec().build();
        create(pod);
        Pod running = awaitPod("doomed", p -> "Running".equals(p.getStatus().getPhase()));
        String uid = running.getMetadata().getUid();
        String sandboxId = agent.cri().listPodSandboxes(uidFilter(uid)).get(0).getId();
        assertThat(Mounts.under(stateDir)).anyMatch(m -> m.toString().contains(sandboxId));

        Command.Result delete = cluster.kubectl("delete", "pod", "doomed", "--wait=true", "--timeout=60s");
        delete.assertSuccess();
        assertThat(client.pods().inNamespace("default").withName("doomed").get()).isNull();
        Await.until(Duration.ofSeconds(30), "containers and sandbox removed",
                () -> agent.cri().listContainers(ContainerFilter.newBuilder().putLabelSelector("io.kubernetes.pod.uid", uid).build()).isEmpty()
                        && agent.cri().listPodSandboxes(uidFilter(uid)).isEmpty());
        assertThat(Mounts.under(stateDir)).noneMatch(m -> m.toString().contains(sandboxId));
    }

    @Test
    void agentRestartKeepsContainersRunningWithoutDuplicatesAndResyncsStatus() {
        create(pod("survivor", "Always", "sleep 3600"));
        Pod running = awaitPod("survivor", p -> "Running".equals(p.getStatus().getPhase()));
        String uid = running.getMetadata().getUid();
        String containerId = running.getStatus().getContainerStatuses().get(0).getContainerID();

        agent.close();
        // While no agent runs, someone writes a wrong status; the next agent must put the truth back.
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("survivor")
                .withNamespace("default").endMetadata().withStatus(new PodStatusBuilder(running.getStatus())
                        .withPhase("Pending").build()).build()).patchStatus();
        agent = new NodeAgent(config).start();

        Pod resynced = awaitPod("survivor", p -> "Running".equals(p.getStatus().getPhase()));
        assertThat(resynced.getStatus().getContainerStatuses().get(0).getContainerID()).isEqualTo(containerId);
        assertThat(resynced.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
        assertThat(agent.cri().listPodSandboxes(uidFilter(uid))).hasSize(1);
        assertThat(agent.cri().listContainers(ContainerFilter.newBuilder().putLabelSelector("io.kubernetes.pod.uid", uid).build()))
                .hasSize(1);
    }

    private static PodSandboxFilter uidFilter(String uid) {
        return PodSandboxFilter.newBuilder().putLabelSelector("io.kubernetes.pod.uid", uid).build();
    }

    private static Pod pod(String name, String restartPolicy, String script) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy)
                .addNewContainer().withName("main").withImage("busybox").withCommand("sh", "-c", script).endContainer()
                .endSpec().build();
    }

    private static void create(Pod pod) {
        client.pods().inNamespace("default").resource(pod).create();
    }

    private static java.util.Optional<ContainerStatus> statusOf(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? java.util.Optional.empty() : pod.getStatus().getContainerStatuses().stream().findFirst();
    }

    private static Pod awaitPod(String name, java.util.function.Predicate<Pod> condition) {
        return Await.value(POD_DEADLINE, "pod " + name + " as expected", () -> {
            Pod pod = client.pods().inNamespace("default").withName(name).get();
            return pod != null && pod.getStatus() != null && condition.test(pod) ? pod : null;
        });
    }
}
