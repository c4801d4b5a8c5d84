package dev.flotilla.e2e;

import dev.flotilla.api.network.Ipv4;
import dev.flotilla.node.NodeAgent;
import dev.flotilla.node.NodeAgentConfig;
import dev.flotilla.node.cri.v1.ContainerFilter;
import dev.flotilla.node.cri.v1.PodSandboxFilter;
import dev.flotilla.node.join.NodeJoin;
import dev.flotilla.node.runtime.Mounts;
import dev.flotilla.node.server.KubeletServer;
import dev.flotilla.server.jointoken.JoinTokens;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.FreePorts;
import dev.flotilla.testsupport.NodePackages;
import dev.flotilla.testsupport.TempDirs;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A control plane with one real node agent on containerd, joined with a bootstrap token as an operator
 * joins one (its client and serving certificates from CSRs, its pod network from IPAM blocks, its images
 * from the {@link PlatformImages} registry), for the
 * e2e tests of the kubelet: start it in {@code @BeforeAll}, close it in {@code @AfterAll}. Needs root (CI runs as root); without it the
 * test class is skipped by {@link NodePackages#assumeRootAndInstall()}.
 */
final class NodeAgentCluster implements AutoCloseable {

    static final Duration POD_DEADLINE = Duration.ofSeconds(90);
    static final String NAMESPACE = "default";

    private final String nodeName;
    private ControlPlane controlPlane;
    private KubernetesClient client;
    private Path stateDir;
    private NodeAgentConfig config;
    private NodeAgent agent;

    private final String[] serverArgs;

    private NodeAgentCluster(String nodeName, String[] serverArgs) {
        this.nodeName = nodeName;
        this.serverArgs = serverArgs;
    }

    /** Starts the control plane and an agent for {@code nodeName}, and waits until the node is Ready. */
    static NodeAgentCluster start(String nodeName, String... serverArgs) throws Exception {
        NodePackages.assumeRootAndInstall();
        NodeAgentCluster cluster = new NodeAgentCluster(nodeName, serverArgs);
        try {
            cluster.startAll();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void startAll() throws Exception {
        String[] args = new String[serverArgs.length + 1];
        args[0] = "--flotilla.apiserver.kubelet.allow-local-proxy-targets=true";
        System.arraycopy(serverArgs, 0, args, 1, serverArgs.length);
        controlPlane = ControlPlane.start(args);
        client = controlPlane.fabric8Client(Duration.ofSeconds(30));
        stateDir = TempDirs.create("flotilla-agent-");
        join(client, nodeName, stateDir);
        config = new NodeAgentConfig(nodeName, "127.0.0.1", stateDir, null, null, "containerd", null,
                Path.of("/usr/lib/cni"), true, "127.0.0.1", FreePorts.next(), null, null, null,
                KubeletServer.DEFAULT_ALLOWED_USERS, PlatformImages.registry());
        agent = new NodeAgent(config);
        agent.start();
        Await.until(POD_DEADLINE, "node " + nodeName + " Ready", () -> {
            var node = client.nodes().withName(nodeName).get();
            return node != null && node.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
    }

    /** As an operator would: a bootstrap token, then {@code node-agent join} into {@code stateDir}. */
    static void join(KubernetesClient admin, String nodeName, Path stateDir) {
        JoinTokens.Created token = new JoinTokens(admin).create(Duration.ofHours(1), "e2e node " + nodeName);
        new NodeJoin(new NodeJoin.Options(token.server(), token.token().token().value(), token.caCertHash(), nodeName,
                stateDir, POD_DEADLINE, null), line -> { }).join();
    }

    ControlPlane controlPlane() {
        return controlPlane;
    }

    KubernetesClient client() {
        return client;
    }

    NodeAgent agent() {
        return agent;
    }

    Path stateDir() {
        return stateDir;
    }

    /** containerd's registry configuration folder ({@code <host>/hosts.toml}), read at each pull. */
    Path registryHostsDir() {
        return config.containerdConfig().registryHostsDir();
    }

    /** Whether {@code ip} is in one of the IPAM blocks the agent claimed for its pods. */
    boolean inNodeBlocks(String ip) {
        long address = Ipv4.parse(ip);
        return agent.podNetwork().blocks().stream().anyMatch(block -> block.cidr().contains(address));
    }

    Command.Result kubectl(String... args) {
        return controlPlane.kubectl(args);
    }

    /** {@code kubectl apply -f} of {@code yaml}, written to a file called {@code name}; must succeed. */
    void apply(String name, String yaml) {
        kubectl("apply", "-f", controlPlane.file(name, yaml).toString()).assertSuccess();
    }

    /** Stops the agent (containers keep running) and starts a new one on the same state directory. */
    void restartAgent(Runnable whileStopped) {
        agent.close();
        whileStopped.run();
        agent = new NodeAgent(config);
        agent.start();
    }

    /** Restarts the agent (containers keep running) with other eviction and garbage collection settings. */
    void restartAgent(dev.flotilla.node.eviction.EvictionSettings eviction) {
        config = config.withEviction(eviction);
        restartAgent(() -> { });
    }

    NodeCondition readyCondition() {
        return client.nodes().withName(nodeName).get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    }

    /** A busybox pod in the default namespace whose one container {@code main} runs {@code sh -c script}. */
    static Pod busyboxPod(String name, String restartPolicy, String script) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy)
                .addNewContainer().withName("main").withImage("busybox").withCommand("sh", "-c", script).endContainer()
                .endSpec().build();
    }

    Pod create(Pod pod) {
        return client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    /** Polls the pod until {@code condition} holds, up to {@link #POD_DEADLINE}. */
    Pod awaitPod(String name, Predicate<Pod> condition) {
        return Await.value(POD_DEADLINE, "pod " + name + " as expected", () -> {
            Pod pod = client.pods().inNamespace(NAMESPACE).withName(name).get();
            return pod != null && pod.getStatus() != null && condition.test(pod) ? pod : null;
        });
    }

    static Predicate<Pod> inPhase(String phase) {
        return pod -> phase.equals(pod.getStatus().getPhase());
    }

    static Optional<ContainerStatus> firstContainerStatus(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? Optional.empty() : pod.getStatus().getContainerStatuses().stream().findFirst();
    }

    static PodSandboxFilter sandboxesOf(String podUid) {
        return PodSandboxFilter.newBuilder().putLabelSelector("io.kubernetes.pod.uid", podUid).build();
    }

    static ContainerFilter containersOf(String podUid) {
        return ContainerFilter.newBuilder().putLabelSelector("io.kubernetes.pod.uid", podUid).build();
    }

    /** Deletes the test pods, removes every sandbox the agent ran, and stops everything it started. */
    @Override
    public void close() {
        if (client != null) {
            client.pods().inNamespace(NAMESPACE).withGracePeriod(0).delete();
        }
        if (agent != null && agent.cri() != null) {
            for (var sandbox : agent.cri().listPodSandboxes()) {
                try {
                    agent.cri().stopPodSandbox(sandbox.getId());
                    agent.cri().removePodSandbox(sandbox.getId());
                } catch (RuntimeException e) {
                    // the rest still goes; the state directory's mounts are removed below either way
                }
            }
        }
        Closeables.closeAll(agent, this::removeStateDir, client, controlPlane);
    }

    private void removeStateDir() {
        if (stateDir != null) {
            Mounts.unmountAll(stateDir);
            TempDirs.deleteRecursively(stateDir);
        }
    }
}
