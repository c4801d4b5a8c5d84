package dev.flotilla.node.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.testsupport.FreePorts;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.TCPSocketActionBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** httpGet and tcpSocket handlers against real loopback servers. */
class NetworkChecksTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private HttpServer server;
    private int port;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private ActionTarget target;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        port = server.getAddress().getPort();
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath() + " host=" + exchange.getRequestHeaders().getFirst("Host")
                    + " ua=" + exchange.getRequestHeaders().getFirst("User-Agent"));
            String path = exchange.getRequestURI().getPath();
            int code = switch (path) {
                case "/healthz" -> 200;
                case "/moved" -> 302;
                case "/teapot" -> 418;
                default -> 500;
            };
            if (code == 302) {
                exchange.getResponseHeaders().add("Location", "/healthz");
            }
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
        target = new ActionTarget("127.0.0.1", "c1", new ContainerBuilder().withName("web")
                .addNewPort().withName("http").withContainerPort(port).endPort().build());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void httpGetSucceedsFor2xxAnd3xxAndSendsTheProbeHeaders() {
        assertThat(http("/healthz", new IntOrString("http")).success()).isTrue();
        assertThat(http("/moved", new IntOrString(port)).success()).isTrue();
        assertThat(requests).contains("/healthz host=127.0.0.1:" + port + " ua=kube-probe/1.32");
    }

    @Test
    void httpGetFailsWithTheStatusCodeForAnErrorAnswer() {
        Outcome outcome = http("/teapot", new IntOrString(port));
        assertThat(outcome.success()).isFalse();
        assertThat(outcome.message()).isEqualTo("HTTP probe failed with statuscode: 418");
    }

    @Test
    void httpGetSendsTheHostHeaderItIsGiven() {
        var action = new HTTPGetActionBuilder().withPath("healthz").withPort(new IntOrString(port))
                .addNewHttpHeader().withName("Host").withValue("example.test").endHttpHeader().build();
        assertThat(new HttpGetCheck().check(action, target, TIMEOUT).success()).isTrue();
        assertThat(requests).contains("/healthz host=example.test ua=kube-probe/1.32");
    }

    @Test
    void httpGetToAClosedPortOrAnUnknownNamedPortFails() {
        int closed = FreePorts.next();
        Outcome refused = http("/healthz", new IntOrString(closed));
        assertThat(refused.success()).isFalse();
        assertThat(refused.message()).startsWith("Get \"http://127.0.0.1:" + closed + "/healthz\": ");
        Outcome unnamed = http("/healthz", new IntOrString("metrics"));
        assertThat(unnamed.success()).isFalse();
        assertThat(unnamed.message()).contains("unable to resolve port");
    }

    @Test
    void httpGetGivesUpAfterTheTimeoutWhenNothingAnswers() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Instant began = Instant.now();
            Outcome outcome = http("/", new IntOrString(silent.getLocalPort()));
            assertThat(outcome.success()).isFalse();
            assertThat(Duration.between(began, Instant.now())).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void tcpSocketSucceedsWhenSomethingListensAndFailsOtherwise() {
        assertThat(new TcpSocketCheck().check(new TCPSocketActionBuilder().withPort(new IntOrString("http")).build(),
                target, TIMEOUT).success()).isTrue();
        int closed = FreePorts.next();
        Outcome refused = new TcpSocketCheck().check(new TCPSocketActionBuilder().withPort(new IntOrString(closed))
                .build(), target, TIMEOUT);
        assertThat(refused.success()).isFalse();
        assertThat(refused.message()).startsWith("dial tcp 127.0.0.1:" + closed + ": ");
    }

    private Outcome http(String path, IntOrString port) {
        return new HttpGetCheck().check(new HTTPGetActionBuilder().withPath(path).withPort(port).build(), target, TIMEOUT);
    }
}
