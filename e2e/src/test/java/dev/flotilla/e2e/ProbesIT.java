package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.node.grpc.health.v1.HealthCheckRequest;
import dev.flotilla.node.grpc.health.v1.HealthCheckResponse;
import dev.flotilla.node.grpc.health.v1.HealthGrpc;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.FreePorts;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Probes and lifecycle hooks on a real node agent and containerd: readiness gating the pod's Ready
 * condition (httpGet on a named port, grpc), liveness restarting a container (exec), a startup probe
 * holding the others back (tcpSocket) or restarting a container that never starts, postStart running
 * inside the container, preStop called before the container stops on deletion.
 */
class ProbesIT {

    private static NodeAgentCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeAgentCluster.start("probes-1");
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster);
    }

    @Test
    void readinessProbeGatesReadyBothWays() {
        Pod pod = withProbe(NodeAgentCluster.busyboxPod("ready-http", "Always",
                "mkdir /www && httpd -p 8080 -h /www && sleep 3 && echo ok > /www/ready && sleep 10 && rm /www/ready"
                        + " && sleep 3600"), c -> c.setReadinessProbe(new ProbeBuilder().withNewHttpGet()
                        .withPath("/ready").withPort(new IntOrString("http")).endHttpGet()
                        .withPeriodSeconds(1).withFailureThreshold(1).build()));
        pod.getSpec().getContainers().get(0).setPorts(List.of(new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                .withName("http").withContainerPort(8080).build()));
        cluster.create(pod);

        Pod running = cluster.awaitPod("ready-http", p -> main(p).filter(s -> s.getState().getRunning() != null).isPresent());
        assertThat(main(running).orElseThrow().getReady()).as("not ready before the probe passes").isFalse();
        assertThat(readyCondition(running)).isEqualTo("False");
        cluster.awaitPod("ready-http", p -> "True".equals(readyCondition(p)) && main(p).orElseThrow().getReady());
        Pod unready = cluster.awaitPod("ready-http", p -> "False".equals(readyCondition(p)));
        assertThat(main(unready).orElseThrow().getState().getRunning()).as("unready, not restarted").isNotNull();
        assertThat(main(unready).orElseThrow().getRestartCount()).isZero();
        assertThat(conditionMessage(unready, "Ready")).isEqualTo("containers with unready status: [main]");
    }

    @Test
    void readinessGateHoldsReadyUntilItsConditionIsTrue() {
        Pod pod = NodeAgentCluster.busyboxPod("gated", "Always", "sleep 3600");
        pod.getSpec().setReadinessGates(List.of(new io.fabric8.kubernetes.api.model.PodReadinessGate("example.com/lb")));
        cluster.create(pod);
        Pod waiting = cluster.awaitPod("gated", p -> "True".equals(condition(p, "ContainersReady")));
        assertThat(readyCondition(waiting)).isEqualTo("False");
        assertThat(conditionMessage(waiting, "Ready"))
                .isEqualTo("corresponding condition of pod readiness gate \"example.com/lb\" does not exist.");

        // What a load balancer controller would do; the kubelet keeps the condition and turns Ready on.
        cluster.kubectl("patch", "pod", "gated", "--subresource=status", "--type=json", "-p",
                "[{\"op\":\"add\",\"path\":\"/status/conditions/-\",\"value\":{\"type\":\"example.com/lb\","
                        + "\"status\":\"True\"}}]").assertSuccess();
        Pod ready = cluster.awaitPod("gated", p -> "True".equals(readyCondition(p)));
        assertThat(condition(ready, "example.com/lb")).isEqualTo("True");
    }

    @Test
    void failingLivenessProbeRestartsTheContainer() {
        Pod pod = withProbe(NodeAgentCluster.busyboxPod("liveness-exec", "Always",
                "touch /tmp/healthy && sleep 3 && rm /tmp/healthy && sleep 3600"),
                c -> c.setLivenessProbe(new ProbeBuilder().withNewExec().withCommand("cat", "/tmp/healthy").endExec()
                        .withPeriodSeconds(1).withFailureThreshold(2).build()));
        pod.getSpec().setTerminationGracePeriodSeconds(1L);
        cluster.create(pod);

        Pod restarted = cluster.awaitPod("liveness-exec", p -> main(p).filter(s -> s.getRestartCount() >= 1).isPresent());
        ContainerStatus status = main(restarted).orElseThrow();
        assertThat(status.getLastState().getTerminated()).as("the killed attempt").isNotNull();
        assertThat(status.getLastState().getTerminated().getExitCode())
                .as("sh as PID 1 ignores SIGTERM, so SIGKILL after the 1 s grace").isEqualTo(137);
        assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
    }

    @Test
    void startupProbeHoldsBackReadinessThenLivenessKeepsAHealthyContainer() {
        Pod pod = withProbe(NodeAgentCluster.busyboxPod("startup-tcp", "Always",
                "mkdir /www && sleep 4 && httpd -f -p 9090 -h /www"), c -> {
                    c.setStartupProbe(tcp(9090, 30));
                    c.setLivenessProbe(tcp(9090, 1));
                });
        cluster.create(pod);

        Pod starting = cluster.awaitPod("startup-tcp", p -> main(p).filter(s -> s.getState().getRunning() != null).isPresent());
        assertThat(main(starting).orElseThrow().getStarted()).as("not started before the startup probe passes").isFalse();
        assertThat(main(starting).orElseThrow().getReady()).isFalse();
        Pod started = cluster.awaitPod("startup-tcp", p -> main(p).filter(ContainerStatus::getStarted)
                .filter(ContainerStatus::getReady).isPresent());
        assertThat(main(started).orElseThrow().getRestartCount()).as("liveness waited for startup").isZero();
    }

    @Test
    void startupProbeThatNeverPassesRestartsTheContainer() {
        Pod pod = withProbe(NodeAgentCluster.busyboxPod("startup-never", "Always", "sleep 3600"),
                c -> c.setStartupProbe(tcp(9191, 2)));
        pod.getSpec().setTerminationGracePeriodSeconds(1L);
        cluster.create(pod);

        Pod restarted = cluster.awaitPod("startup-never", p -> main(p).filter(s -> s.getRestartCount() >= 1).isPresent());
        assertThat(main(restarted).orElseThrow().getStarted()).isFalse();
    }

    @Test
    void grpcReadinessProbeFollowsTheHealthService() throws Exception {
        AtomicReference<HealthCheckResponse.ServingStatus> serving =
                new AtomicReference<>(HealthCheckResponse.ServingStatus.SERVING);
        List<String> services = new CopyOnWriteArrayList<>();
        int port = FreePorts.next();
        Server health = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new HealthGrpc.HealthImplBase() {
                    @Override
                    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
                        services.add(request.getService());
                        response.onNext(HealthCheckResponse.newBuilder().setStatus(serving.get()).build());
                        response.onCompleted();
                    }
                }).build().start();
        try {
            // On the host network the pod's IP is the node's, 127.0.0.1, where this test serves the health service.
            Pod pod = withProbe(NodeAgentCluster.busyboxPod("ready-grpc", "Always", "sleep 3600"),
                    c -> c.setReadinessProbe(new ProbeBuilder().withNewGrpc().withPort(port).withService("flotilla")
                            .endGrpc().withPeriodSeconds(1).withFailureThreshold(1).build()));
            pod.getSpec().setHostNetwork(true);
            cluster.create(pod);
            cluster.awaitPod("ready-grpc", p -> "True".equals(readyCondition(p)));
            assertThat(services).contains("flotilla");
            serving.set(HealthCheckResponse.ServingStatus.NOT_SERVING);
            cluster.awaitPod("ready-grpc", p -> "False".equals(readyCondition(p)));
        } finally {
            health.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void postStartRunsInTheContainerAndPreStopIsCalledBeforeItStops() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        int port = FreePorts.next();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            calls.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("User-Agent"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            Pod pod = NodeAgentCluster.busyboxPod("hooks", "Always",
                    "while [ ! -f /tmp/post-start ]; do sleep 0.2; done; echo \"saw $(cat /tmp/post-start)\"; sleep 3600");
            var container = pod.getSpec().getContainers().get(0);
            container.setLifecycle(new io.fabric8.kubernetes.api.model.LifecycleBuilder()
                    .withNewPostStart().withNewExec().withCommand("sh", "-c", "echo hook ran > /tmp/post-start").endExec()
                    .endPostStart()
                    .withNewPreStop().withNewHttpGet().withPath("/pre-stop").withPort(new IntOrString(port)).endHttpGet()
                    .endPreStop().build());
            pod.getSpec().setHostNetwork(true);
            pod.getSpec().setTerminationGracePeriodSeconds(5L);
            cluster.create(pod);
            cluster.awaitPod("hooks", p -> "True".equals(readyCondition(p)));
            dev.flotilla.testsupport.Await.until(NodeAgentCluster.POD_DEADLINE, "the postStart file seen by the container",
                    () -> cluster.kubectl("logs", "hooks").output().contains("saw hook ran"));
            assertThat(calls).isEmpty();

            client.pods().inNamespace(NodeAgentCluster.NAMESPACE).withName("hooks").delete();
            dev.flotilla.testsupport.Await.until(NodeAgentCluster.POD_DEADLINE, "pod gone",
                    () -> client.pods().inNamespace(NodeAgentCluster.NAMESPACE).withName("hooks").get() == null);
            assertThat(calls).containsExactly("/pre-stop kube-probe/1.32");
        } finally {
            server.stop(0);
        }
    }

    private static Probe tcp(int port, int failureThreshold) {
        return new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket()
                .withPeriodSeconds(1).withFailureThreshold(failureThreshold).build();
    }

    private static Pod withProbe(Pod pod, java.util.function.Consumer<io.fabric8.kubernetes.api.model.Container> probes) {
        Pod copy = new PodBuilder(pod).build();
        probes.accept(copy.getSpec().getContainers().get(0));
        return copy;
    }

    private static java.util.Optional<ContainerStatus> main(Pod pod) {
        return NodeAgentCluster.firstContainerStatus(pod);
    }

    private static String readyCondition(Pod pod) {
        return condition(pod, c -> c.getType().equals("Ready")).map(c -> c.getStatus()).orElse("");
    }

    private static String condition(Pod pod, String type) {
        return condition(pod, c -> c.getType().equals(type)).map(c -> c.getStatus()).orElse("");
    }

    private static String conditionMessage(Pod pod, String type) {
        return condition(pod, c -> c.getType().equals(type)).map(c -> c.getMessage()).orElse("");
    }

    private static java.util.Optional<io.fabric8.kubernetes.api.model.PodCondition> condition(
            Pod pod, Predicate<io.fabric8.kubernetes.api.model.PodCondition> which) {
        return pod.getStatus().getConditions() == null ? java.util.Optional.empty()
                : pod.getStatus().getConditions().stream().filter(which).findFirst();
    }
}
