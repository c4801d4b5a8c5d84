package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.FreePorts;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import dev.flotilla.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pods/log, exec, port-forward and the proxy subresources, from kubectl through the API server to a
 * fake kubelet (real HTTPS with cluster-CA certificates both ways) and to plain HTTP backends.
 */
class NodeProxyIT {

    private static ControlPlane cluster;
    private static FakeKubelet kubelet;
    private static EchoServer echo;
    private static int deadPort;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start("--flotilla.apiserver.kubelet.allow-local-proxy-targets=true",
                "--flotilla.apiserver.kubelet.connect-timeout=3s");
        kubelet = FakeKubelet.start(cluster.pkiDir());
        echo = EchoServer.start("127.0.0.2");
        deadPort = FreePorts.next();
        node("worker-1", kubelet.port());
        node("gone", deadPort);
        ok("apply", "-f", cluster.file("pods.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  nodeName: worker-1
                  containers: [{name: app, image: nginx}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: duo, namespace: default}
                spec:
                  nodeName: worker-1
                  containers: [{name: a, image: nginx}, {name: b, image: nginx}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: orphan, namespace: default}
                spec:
                  nodeName: gone
                  containers: [{name: app, image: nginx}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: pending, namespace: default}
                spec:
                  containers: [{name: app, image: nginx}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: echo, namespace: default}
                spec:
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: Endpoints
                metadata: {name: echo, namespace: default}
                subsets:
                - addresses: [{ip: "%s"}]
                  ports: [{name: http, port: %d}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: lonely, namespace: default}
                spec:
                  ports: [{name: http, port: 80}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: sliced, namespace: default}
                spec:
                  ports: [{name: web, port: 80}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: sliced-abc
                  namespace: default
                  labels: {kubernetes.io/service-name: sliced}
                addressType: IPv4
                endpoints:
                - addresses: ["127.0.0.3"]
                  conditions: {ready: false}
                - addresses: ["%s"]
                  conditions: {ready: true}
                ports: [{name: web, port: %d}]
                """.formatted(echo.address(), echo.port(), echo.address(), echo.port())).toString());
        ok("patch", "pod", "web", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"phase\":\"Running\",\"podIP\":\"" + echo.address() + "\"}}");
    }

    private static void node(String name, int kubeletPort) {
        ok("apply", "-f", cluster.file(name + ".yaml", """
                apiVersion: v1
                kind: Node
                metadata: {name: %s}
                """.formatted(name)).toString());
        ok("patch", "node", name, "--subresource=status", "--type=merge", "-p", """
                {"status":{"addresses":[{"type":"Hostname","address":"%s"},{"type":"InternalIP","address":"127.0.0.1"}],
                 "daemonEndpoints":{"kubeletEndpoint":{"Port":%d}}}}""".formatted(name, kubeletPort));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(kubelet, echo, cluster);
    }

    @Test
    void logsComeFromTheKubeletOfThePodsNodeWithTheOptionsPassedOn() {
        assertThat(ok("logs", "web", "--tail=5").output()).isEqualTo("log of app tailLines=5\nsecond line\n");
        assertThat(kubelet.seen()).anySatisfy(seen -> {
            assertThat(seen.uri()).isEqualTo("/containerLogs/default/web/app?tailLines=5");
            assertThat(seen.clientName()).contains("CN=kube-apiserver-kubelet-client");
        });
        assertThat(ok("logs", "duo", "-c", "b").output()).startsWith("log of b ");
    }

    @Test
    void aPodWithSeveralContainersNeedsAContainerName() {
        Command.Result unnamed = cluster.kubectl("get", "--raw", "/api/v1/namespaces/default/pods/duo/log");
        assertThat(unnamed.exitCode()).isEqualTo(1);
        assertThat(unnamed.output()).contains(
                "Error from server (BadRequest): a container name must be specified for pod duo, choose one of: [a b]");
        Command.Result wrong = cluster.kubectl("logs", "duo", "-c", "nope");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.output()).contains("container nope is not valid for pod duo");
    }

    @Test
    void aFollowedLogArrivesLineByLineBeforeItEnds() throws Exception {
        try (RunningKubectl follow = RunningKubectl.start(cluster.kubeconfig(), "logs", "-f", "web")) {
            assertThat(follow.awaitLine(Duration.ofSeconds(20), line -> !line.isBlank()))
                    .isEqualTo("first followed line");
            assertThat(follow.isAlive()).isTrue();
            kubelet.releaseFollowedLog();
            assertThat(follow.awaitLine(Duration.ofSeconds(10), line -> !line.isBlank()))
                    .isEqualTo("last followed line");
            assertThat(follow.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void execRunsThroughTheUpgradedConnection() {
        Command.Result exec = ok("exec", "web", "--", "echo", "hello", "world");
        assertThat(exec.output()).isEqualTo("hello world\n");
        assertThat(kubelet.seen()).anySatisfy(seen -> {
            assertThat(seen.uri()).startsWith("/exec/default/web/app?").contains("command=echo", "command=hello");
            assertThat(seen.upgrade()).isEqualToIgnoringCase("websocket");
            assertThat(seen.protocols()).contains("v5.channel.k8s.io");
        });
        Command.Result plain = cluster.kubectl("get", "--raw", "/api/v1/namespaces/default/pods/web/exec?command=ls");
        assertThat(plain.output()).contains("Error from server (BadRequest): Upgrade request required");
    }

    @Test
    void execWithStdinCarriesBytesBothWays() throws Exception {
        Path input = cluster.file("stdin.txt", "line one\nline two\n");
        Process cat = new ProcessBuilder("kubectl", "--kubeconfig", cluster.kubeconfig().toString(), "exec", "-i",
                "web", "--", "cat").redirectInput(input.toFile()).redirectErrorStream(true).start();
        assertThat(cat.waitFor(30, TimeUnit.SECONDS)).as("kubectl exec -i finished").isTrue();
        assertThat(new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("line one\nline two\n");
        assertThat(cat.exitValue()).isZero();
    }

    @Test
    void portForwardReachesTheKubeletAndCarriesBytes() throws Exception {
        try (RunningKubectl forward = RunningKubectl.start(cluster.kubeconfig(), "port-forward", "pod/web",
                ":8080")) {
            String line = forward.awaitLine(Duration.ofSeconds(20), l -> l.startsWith("Forwarding from 127.0.0.1:"));
            int localPort = Integer.parseInt(line.replaceAll("Forwarding from 127\\.0\\.0\\.1:(\\d+) .*", "$1"));
            assertThat(kubelet.seen()).anySatisfy(seen -> {
                assertThat(seen.uri()).startsWith("/portForward/default/web");
                assertThat(seen.upgrade()).isNotNull();
            });
            int before = kubelet.portForwardFrames();
            try (Socket socket = new Socket("127.0.0.1", localPort)) {
                OutputStream out = socket.getOutputStream();
                out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Await.until(Duration.ofSeconds(10), "port-forward frames at the kubelet",
                        () -> kubelet.portForwardFrames() > before);
            }
        }
    }

    @Test
    void nodeProxyGoesToTheKubelet() {
        assertThat(ok("get", "--raw", "/api/v1/nodes/worker-1/proxy/configz?verbose=1").output())
                .isEqualTo("GET /configz?verbose=1\n");
        assertThat(ok("get", "--raw", "/api/v1/nodes/worker-1:" + kubelet.port() + "/proxy/healthz").output())
                .isEqualTo("GET /healthz\n");
    }

    @Test
    void podAndServiceProxyReachTheirBackendsWithMethodPathQueryAndBody() throws Exception {
        assertThat(ok("get", "--raw", "/api/v1/namespaces/default/pods/web:" + echo.port() + "/proxy/hi?a=b")
                .output()).isEqualTo("echo GET /hi?a=b \n");
        assertThat(ok("get", "--raw", "/api/v1/namespaces/default/services/echo:http/proxy/svc/x").output())
                .isEqualTo("echo GET /svc/x \n");
        assertThat(ok("get", "--raw", "/api/v1/namespaces/default/services/echo:80/proxy/").output())
                .isEqualTo("echo GET / \n");
        HttpResponse<String> posted = cluster.admin().send(HttpRequest.newBuilder(
                URI.create(cluster.url() + "/api/v1/namespaces/default/services/echo:http/proxy/form"))
                .POST(HttpRequest.BodyPublishers.ofString("x=1")).build());
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo("echo POST /form x=1\n");

        for (int i = 0; i < 3; i++) {
            assertThat(ok("get", "--raw", "/api/v1/namespaces/default/services/sliced:web/proxy/s").output())
                    .as("only the ready endpoint of the slice").isEqualTo("echo GET /s \n");
        }

        Command.Result none = cluster.kubectl("get", "--raw", "/api/v1/namespaces/default/services/lonely/proxy/");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.output()).contains("no endpoints available for service \"lonely\"");
    }

    @Test
    void aPodWithoutANodeHasNoHostToReach() {
        Command.Result exec = cluster.kubectl("get", "--raw", "/api/v1/namespaces/default/pods/pending/exec?command=ls");
        assertThat(exec.exitCode()).isEqualTo(1);
        assertThat(exec.output()).contains("Error from server (BadRequest): pod pending does not have a host assigned");
        assertThat(ok("logs", "pending").output()).isEmpty();
    }

    @Test
    void aKubeletThatIsDownIsAnErrorAtOnce() {
        long start = System.nanoTime();
        Command.Result logs = cluster.kubectl("logs", "orphan");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(logs.exitCode()).isEqualTo(1);
        assertThat(logs.output()).contains("error dialing backend: dial tcp 127.0.0.1:" + deadPort
                + ": connect: connection refused");
        assertThat(took).isLessThan(Duration.ofSeconds(10));

        Command.Result exec = cluster.kubectl("exec", "orphan", "--", "echo", "hi");
        assertThat(exec.exitCode()).isNotZero();
        assertThat(exec.output()).contains("error dialing backend");
    }

    private static Command.Result ok(String... args) {
        Command.Result result = cluster.kubectl(args);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }
}
