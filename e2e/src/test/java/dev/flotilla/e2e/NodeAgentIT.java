package dev.flotilla.e2e;

import static dev.flotilla.e2e.NodeAgentCluster.busyboxPod;
import static dev.flotilla.e2e.NodeAgentCluster.containersOf;
import static dev.flotilla.e2e.NodeAgentCluster.firstContainerStatus;
import static dev.flotilla.e2e.NodeAgentCluster.sandboxesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.node.join.NodeCertificates;
import dev.flotilla.node.join.NodeCredentials;
import dev.flotilla.node.runtime.Mounts;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.HttpsClient;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
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

    @Test
    void registersTheNodeWithItsRuntimeAndLease() {
        var node = client.nodes().withName(NODE).get();
        assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", NODE)
                .containsEntry("kubernetes.io/os", "linux").containsKey("kubernetes.io/arch");
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://");
        assertThat(node.getStatus().getNodeInfo().getBootID()).as("the whole boot id, not its first byte").hasSize(36);
        assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods", "ephemeral-storage");
        assertThat(node.getStatus().getAddresses()).anyMatch(a -> a.getType().equals("InternalIP"));
        assertThat(node.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactly("MemoryPressure=False", "DiskPressure=False", "PIDPressure=False", "Ready=True");
        assertThat(node.getStatus().getAllocatable().get("memory").getNumericalAmount())
                .as("allocatable memory keeps the 100Mi eviction threshold back")
                .isEqualTo(node.getStatus().getCapacity().get("memory").getNumericalAmount()
                        .subtract(java.math.BigDecimal.valueOf(100L * 1024 * 1024)));
        assertThat(cluster.kubectl("describe", "node", NODE).assertSuccess().output())
                .contains("KubeletHasSufficientMemory", "KubeletHasNoDiskPressure", "KubeletHasSufficientPID", "KubeletReady");
        assertThat(client.leases().inNamespace("kube-node-lease").withName(NODE).get().getSpec().getHolderIdentity())
                .isEqualTo(NODE);
    }

    @Test
    void busyboxPodEchoesIntoKubectlLogsAndSucceeds() {
        cluster.create(busyboxPod("echo", "Never", "echo hello from flotilla"));
        Pod done = cluster.awaitPod("echo", p -> "Succeeded".equals(p.getStatus().getPhase()));
        ContainerStatus main = done.getStatus().getContainerStatuses().get(0);
        assertThat(main.getState().getTerminated().getExitCode()).isZero();
        assertThat(main.getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(main.getContainerID()).startsWith("containerd://");
        assertThat(main.getImageID()).isNotEmpty();
        assertThat(cluster.inNodeBlocks(done.getStatus().getPodIP())).as("pod IP in the node's IPAM blocks").isTrue();
        assertThat(done.getStatus().getHostIP()).isEqualTo("127.0.0.1");
        Command.Result logs = cluster.kubectl("logs", "echo");
        logs.assertSuccess();
        assertThat(logs.output()).isEqualTo("hello from flotilla\n");

        String events = Await.value(Duration.ofSeconds(30), "the kubelet's events about the pod", () -> {
            String table = cluster.kubectl("get", "events", "--field-selector", "involvedObject.name=echo",
                    "-o", "custom-columns=REASON:.reason,SOURCE:.source.component,HOST:.source.host,MESSAGE:.message")
                    .output();
            return table.contains("Started") && table.contains("Pulling") ? table : null;
        });
        // busybox means busybox:latest, whose imagePullPolicy defaults to Always: pulled from the platform registry.
        assertThat(events).containsPattern("Pulling\\s+kubelet\\s+" + NODE + "\\s+Pulling image \"busybox\"")
                .containsPattern("Pulled\\s+kubelet\\s+" + NODE + "\\s+Successfully pulled image \"busybox\" in \\d+m?s")
                .containsPattern("Created\\s+kubelet\\s+" + NODE + "\\s+Created container main")
                .containsPattern("Started\\s+kubelet\\s+" + NODE + "\\s+Started container main");
    }

    @Test
    void nodeIsNotReadyWhileContainerdIsDownAndReadyWhenItReturns() {
        cluster.agent().containerd().close();
        Await.until(NodeAgentCluster.POD_DEADLINE, "node NotReady", () -> cluster.readyCondition().getStatus().equals("False"));
        assertThat(cluster.readyCondition().getReason()).isEqualTo("KubeletNotReady");
        assertThat(cluster.readyCondition().getMessage()).contains("container runtime is down");
        cluster.agent().containerd().start();
        Await.until(NodeAgentCluster.POD_DEADLINE, "node Ready again", () -> cluster.readyCondition().getStatus().equals("True"));
    }

    @Test
    void kubeletApiAcceptsOnlyTheApiServersClientCertificate() {
        String kubelet = "https://127.0.0.1:" + cluster.agent().kubeletPort();
        var admin = HttpsClient.withClientCertificate(kubelet, cluster.controlPlane().pkiDir(), "admin").get("/healthz");
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThatThrownBy(() -> HttpsClient.anonymous(kubelet, cluster.controlPlane().pkiDir()).get("/healthz"))
                .as("no client certificate: the TLS handshake fails").isInstanceOf(RuntimeException.class);
    }

    @Test
    void servingCertificateComesFromAnApprovedCsrAndARenewedOneIsServedWithoutARestart() throws Exception {
        var csrs = client.certificates().v1().certificateSigningRequests().list().getItems().stream()
                .filter(c -> c.getSpec().getSignerName().equals("kubernetes.io/kubelet-serving")
                        && c.getSpec().getUsername().equals("system:node:" + NODE)).toList();
        assertThat(csrs).isNotEmpty().allMatch(c -> c.getStatus().getConditions().stream()
                .anyMatch(condition -> condition.getType().equals("Approved")));
        X509Certificate before = kubeletCertificate();
        assertThat(before.getSubjectX500Principal().getName()).isEqualTo("CN=system:node:" + NODE + ",O=system:nodes");

        // What the agent's rotation does when the time comes, done now with the node's own identity.
        var renewed = new NodeCertificates(new NodeCredentials(cluster.stateDir()), NODE, NodeAgentCluster.POD_DEADLINE,
                null, line -> { }).renewDue(Instant.now().plus(Duration.ofDays(3650)));
        assertThat(renewed).contains("kubelet-client", "kubelet-serving");

        assertThat(kubeletCertificate().getSerialNumber()).isNotEqualTo(before.getSerialNumber());
        cluster.create(busyboxPod("after-rotation", "Never", "echo still here"));
        cluster.awaitPod("after-rotation", p -> "Succeeded".equals(p.getStatus().getPhase()));
        assertThat(cluster.kubectl("logs", "after-rotation").assertSuccess().output()).isEqualTo("still here\n");
    }

    /** The certificate the kubelet API presents to a new connection (seen before it asks for ours). */
    private static X509Certificate kubeletCertificate() throws Exception {
        AtomicReference<X509Certificate> presented = new AtomicReference<>();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                presented.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                cluster.agent().kubeletPort())) {
            socket.startHandshake();
            socket.getInputStream().read(); // the server refuses us (no client certificate) after showing its own
        } catch (java.io.IOException refused) {
            // expected: we present no client certificate
        }
        assertThat(presented.get()).as("the kubelet presented a certificate").isNotNull();
        return presented.get();
    }

    @Test
    void staticPodFromTheManifestFolderRunsAndIsMirroredToTheApi() throws Exception {
        Path manifest = cluster.stateDir().resolve("manifests/static-web.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: static-web
                  labels: {tier: static}
                spec:
                  containers:
                  - name: main
                    image: busybox
                    command: ["sh", "-c", "echo static up; exec sleep 3600"]
                """);
        String mirrorName = "static-web-" + NODE;
        Pod mirror = cluster.awaitPod(mirrorName, p -> "Running".equals(p.getStatus().getPhase()));
        assertThat(mirror.getMetadata().getAnnotations()).containsKey("kubernetes.io/config.mirror")
                .containsEntry("kubernetes.io/config.source", "file");
        assertThat(mirror.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getKind() + "/" + owner.getName()).isEqualTo("Node/" + NODE));
        assertThat(mirror.getMetadata().getLabels()).containsEntry("tier", "static");
        Await.until(Duration.ofSeconds(30), "static pod log", () -> cluster.kubectl("logs", mirrorName).output()
                .equals("static up\n"));
        String containerId = mirror.getStatus().getContainerStatuses().get(0).getContainerID();

        // Deleting the mirror does not stop the static pod: the kubelet puts the mirror back.
        cluster.kubectl("delete", "pod", mirrorName, "--wait=false").assertSuccess();
        Pod again = cluster.awaitPod(mirrorName, p -> !p.getMetadata().getUid().equals(mirror.getMetadata().getUid())
                && "Running".equals(p.getStatus().getPhase()));
        assertThat(again.getStatus().getContainerStatuses().get(0).getContainerID()).isEqualTo(containerId);

        // Removing the manifest stops the pod and removes its mirror.
        Files.delete(manifest);
        Await.until(NodeAgentCluster.POD_DEADLINE, "mirror gone",
                () -> client.pods().inNamespace("default").withName(mirrorName).get() == null);
        String staticUid = mirror.getMetadata().getAnnotations().get("kubernetes.io/config.mirror");
        Await.until(Duration.ofSeconds(60), "static pod's containers removed",
                () -> cluster.agent().cri().listContainers(containersOf(staticUid)).isEmpty());
    }

    @Test
    void kubectlLogsFollowsARunningContainerUntilItExits() {
        cluster.create(busyboxPod("ticker", "Never", "for i in 1 2 3; do echo tick $i; sleep 1; done"));
        cluster.awaitPod("ticker", p -> "Running".equals(p.getStatus().getPhase()));
        Command.Result follow = cluster.kubectl("logs", "-f", "ticker");
        assertThat(follow.assertSuccess().output()).isEqualTo("tick 1\ntick 2\ntick 3\n");
        assertThat(cluster.kubectl("logs", "ticker", "--tail=1").output()).isEqualTo("tick 3\n");
    }

    @Test
    void crashingContainerBacksOffWithGrowingRestartCount() {
        cluster.create(busyboxPod("crasher", "Always", "echo crashing; exit 3"));
        Pod crashing = cluster.awaitPod("crasher", p -> firstContainerStatus(p).map(s -> s.getRestartCount() >= 2
                && s.getState().getWaiting() != null
                && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason())).orElse(false));
        ContainerStatus status = crashing.getStatus().getContainerStatuses().get(0);
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(status.getState().getWaiting().getMessage()).contains("back-off").contains("crasher");
        assertThat(crashing.getStatus().getPhase()).isEqualTo("Running");
        Command.Result previous = cluster.kubectl("logs", "crasher", "--previous");
        assertThat(previous.assertSuccess().output()).isEqualTo("crashing\n");
        // One BackOff event whose count grows, as upstream's correlator aggregates repeats.
        Await.until(Duration.ofSeconds(60), "an aggregated BackOff event", () -> {
            var backOffs = cluster.client().v1().events().inNamespace(NodeAgentCluster.NAMESPACE).list().getItems().stream()
                    .filter(e -> "crasher".equals(e.getInvolvedObject().getName()) && "BackOff".equals(e.getReason()))
                    .toList();
            return backOffs.size() == 1 && backOffs.get(0).getCount() > 1 && backOffs.get(0).getMessage()
                    .startsWith("Back-off restarting failed container main in pod crasher_default(");
        });
    }

    @Test
    void aCommandThatDoesNotExistIsAStartErrorRestartedWithBackOff() {
        Pod pod = busyboxPod("typo", "Always", "unused");
        pod.getSpec().getContainers().get(0).setCommand(List.of("no-such-command"));
        cluster.create(pod);
        Pod failing = cluster.awaitPod("typo", p -> firstContainerStatus(p).map(s -> s.getRestartCount() >= 1
                && s.getLastState() != null && s.getLastState().getTerminated() != null).orElse(false));
        ContainerStatus status = failing.getStatus().getContainerStatuses().get(0);
        assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("StartError");
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(128);
        assertThat(status.getLastState().getTerminated().getMessage()).contains("no-such-command");
        assertThat(status.getState().getWaiting().getReason()).isIn("RunContainerError", "CrashLoopBackOff");
        assertThat(cluster.kubectl("get", "pod", "typo").output()).containsPattern("typo\\s+0/1\\s+(RunContainerError|CrashLoopBackOff|StartError)");
    }

    @Test
    void initContainersRunInOrderBeforeTheMainOne() {
        Pod pod = new PodBuilder(busyboxPod("init-order", "Never", "echo main"))
                .editSpec()
                .addNewInitContainer().withName("first").withImage("busybox").withCommand("sh", "-c", "sleep 1; echo first")
                .endInitContainer()
                .addNewInitContainer().withName("second").withImage("busybox").withCommand("sh", "-c", "echo second")
                .endInitContainer()
                .endSpec().build();
        cluster.create(pod);
        Pod done = cluster.awaitPod("init-order", p -> "Succeeded".equals(p.getStatus().getPhase()));
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
        Pod pod = new PodBuilder(busyboxPod("env", "Never", "echo $GREETING $(NAME) $POD '$$(NAME)'"))
                .editSpec().editFirstContainer()
                .addNewEnv().withName("NAME").withValue("world").endEnv()
                .addNewEnv().withName("GREETING").withValue("hello-$(NAME)").endEnv()
                .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .endContainer().endSpec().build();
        cluster.create(pod);
        cluster.awaitPod("env", p -> "Succeeded".equals(p.getStatus().getPhase()));
        // $(NAME) in the command is the kubelet's expansion; $$(NAME) its escape for a literal $(NAME).
        assertThat(cluster.kubectl("logs", "env").output()).isEqualTo("hello-world world env $(NAME)\n");
    }

    @Test
    void environmentFromConfigMapsSecretsResourcesLabelsAndServices() {
        client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("app-config").endMetadata()
                .addToData("GREETING", "hello").addToData("mode", "fast").build()).create();
        client.secrets().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("app-secret").endMetadata().addToStringData("password", "s3cret").build())
                .create();
        client.services().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("backend-api").endMetadata().withNewSpec()
                .addNewPort().withName("http").withPort(8080).endPort().endSpec().build()).create();
        String backendIp = client.services().inNamespace("default").withName("backend-api").get().getSpec().getClusterIP();
        Pod pod = new PodBuilder(busyboxPod("env-sources", "Never",
                "echo $GREETING $PASSWORD $CFG_mode $MEMORY_MIB $APP ${MISSING:-unset};"
                        + " echo $BACKEND_API_SERVICE_HOST $BACKEND_API_SERVICE_PORT_HTTP $BACKEND_API_PORT"))
                .editMetadata().addToLabels("app", "shop").endMetadata()
                .editSpec().editFirstContainer()
                .withNewResources().addToLimits("memory", new Quantity("64Mi")).endResources()
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("app-config").endConfigMapRef().endEnvFrom()
                .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef("GREETING", "app-config", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "app-secret", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("MEMORY_MIB").withNewValueFrom().withNewResourceFieldRef()
                .withResource("limits.memory").withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MISSING").withNewValueFrom().withNewConfigMapKeyRef("absent", "app-config", true)
                .endValueFrom().endEnv()
                .endContainer().endSpec().build();
        cluster.create(pod);
        cluster.awaitPod("env-sources", p -> "Succeeded".equals(p.getStatus().getPhase()));
        assertThat(cluster.kubectl("logs", "env-sources").output()).isEqualTo("hello s3cret fast 64 shop unset\n"
                + backendIp + " 8080 tcp://" + backendIp + ":8080\n");

        // A ConfigMap that does not exist yet: the container waits with upstream's reason, then starts.
        cluster.create(new PodBuilder(busyboxPod("env-late", "Never", "echo $LATE")).editSpec().editFirstContainer()
                .addNewEnv().withName("LATE").withNewValueFrom().withNewConfigMapKeyRef("value", "late", false)
                .endValueFrom().endEnv().endContainer().endSpec().build());
        Pod waiting = cluster.awaitPod("env-late", p -> firstContainerStatus(p).map(s -> s.getState().getWaiting() != null
                && "CreateContainerConfigError".equals(s.getState().getWaiting().getReason())).orElse(false));
        assertThat(waiting.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
                .isEqualTo("configmap \"late\" not found");
        client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("late").endMetadata().addToData("value", "arrived").build()).create();
        cluster.awaitPod("env-late", p -> "Succeeded".equals(p.getStatus().getPhase()));
        assertThat(cluster.kubectl("logs", "env-late").output()).isEqualTo("arrived\n");
    }

    @Test
    void resourceLimitsBecomeTheContainersCgroupLimits() {
        Pod pod = new PodBuilder(busyboxPod("limited", "Never",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us"))
                .editSpec().editFirstContainer().withNewResources()
                .addToLimits("memory", new Quantity("64Mi")).addToLimits("cpu", new Quantity("500m"))
                .endResources().endContainer().endSpec().build();
        cluster.create(pod);
        cluster.awaitPod("limited", p -> "Succeeded".equals(p.getStatus().getPhase()));
        assertThat(cluster.kubectl("logs", "limited").output()).isEqualTo("67108864\n50000\n");
    }

    @Test
    void deletingAPodStopsAndRemovesItsContainersAndSandbox() {
        Pod pod = new PodBuilder(busyboxPod("doomed", "Always", "sleep 3600"))
                .editSpec().withTerminationGracePeriodSeconds(2L).endSpec().build();
        cluster.create(pod);
        Pod running = cluster.awaitPod("doomed", p -> "Running".equals(p.getStatus().getPhase()));
        String uid = running.getMetadata().getUid();
        String sandboxId = cluster.agent().cri().listPodSandboxes(sandboxesOf(uid)).get(0).getId();
        assertThat(Mounts.under(cluster.stateDir())).anyMatch(m -> m.toString().contains(sandboxId));

        Command.Result delete = cluster.kubectl("delete", "pod", "doomed", "--wait=true", "--timeout=60s");
        delete.assertSuccess();
        assertThat(client.pods().inNamespace("default").withName("doomed").get()).isNull();
        Await.until(Duration.ofSeconds(30), "containers and sandbox removed",
                () -> cluster.agent().cri().listContainers(containersOf(uid)).isEmpty()
                        && cluster.agent().cri().listPodSandboxes(sandboxesOf(uid)).isEmpty());
        assertThat(Mounts.under(cluster.stateDir())).noneMatch(m -> m.toString().contains(sandboxId));
    }

    @Test
    void podsStartWhileOthersTakeTheirGracePeriodToStop() {
        // More pods than a fixed pool of eight workers, each ignoring SIGTERM (sh as PID 1): each stop takes
        // the whole grace period.
        List<String> slow = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            slow.add("slow-stop-" + i);
            cluster.create(new PodBuilder(busyboxPod("slow-stop-" + i, "Always", "sleep 3600"))
                    .editSpec().withTerminationGracePeriodSeconds(45L).endSpec().build());
        }
        slow.forEach(name -> cluster.awaitPod(name, p -> "Running".equals(p.getStatus().getPhase())));
        slow.forEach(name -> client.pods().inNamespace("default").withName(name).delete());

        cluster.create(busyboxPod("meanwhile", "Always", "sleep 3600"));
        Await.until(Duration.ofSeconds(30), "a new pod Running while nine others are still stopping", () -> {
            Pod pod = client.pods().inNamespace("default").withName("meanwhile").get();
            return pod != null && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
        });
        assertThat(slow).as("still stopping, within their grace period")
                .allMatch(name -> client.pods().inNamespace("default").withName(name).get() != null);
        client.pods().inNamespace("default").withName("meanwhile").withGracePeriod(0).delete();
        slow.forEach(name -> client.pods().inNamespace("default").withName(name).withGracePeriod(0).delete());
    }

    @Test
    void agentRestartKeepsContainersRunningWithoutDuplicatesAndResyncsStatus() {
        cluster.create(busyboxPod("survivor", "Always", "sleep 3600"));
        Pod running = cluster.awaitPod("survivor", p -> "Running".equals(p.getStatus().getPhase()));
        String uid = running.getMetadata().getUid();
        String containerId = running.getStatus().getContainerStatuses().get(0).getContainerID();

        // While no agent runs, someone writes a wrong status; the next agent must put the truth back.
        cluster.restartAgent(() -> client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                .withName("survivor").withNamespace("default").endMetadata()
                .withStatus(new PodStatusBuilder(running.getStatus()).withPhase("Pending").build()).build()).patchStatus());

        Pod resynced = cluster.awaitPod("survivor", p -> "Running".equals(p.getStatus().getPhase()));
        assertThat(resynced.getStatus().getContainerStatuses().get(0).getContainerID()).isEqualTo(containerId);
        assertThat(resynced.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
        assertThat(cluster.agent().cri().listPodSandboxes(sandboxesOf(uid))).hasSize(1);
        assertThat(cluster.agent().cri().listContainers(containersOf(uid)))
                .hasSize(1);
    }
}
