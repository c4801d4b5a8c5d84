package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.FreePorts;
import dev.flotilla.testsupport.TempDirs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kubectl exec, attach, cp and port-forward through the API server to a real node agent and the
 * runtime's streaming server: output and exit codes, stdin, a TTY, files both ways, and an HTTP
 * server in a pod reached through a forwarded local port.
 */
class StreamingIT {

    private static NodeAgentCluster cluster;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeAgentCluster.start("streams-1");
        work = TempDirs.create("flotilla-streams-");
        cluster.create(NodeAgentCluster.busyboxPod("shell", "Always",
                "mkdir -p /www && echo served-from-the-pod > /www/index.html && httpd -f -p 8080 -h /www"));
        cluster.awaitPod("shell", NodeAgentCluster.inPhase("Running"));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster, () -> {
            if (work != null) {
                TempDirs.deleteRecursively(work);
            }
        });
    }

    @Test
    void execRunsACommandAndReturnsItsOutputAndExitCode() {
        Command.Result hello = cluster.kubectl("exec", "shell", "--", "sh", "-c", "echo out; echo err >&2");
        hello.assertSuccess();
        assertThat(hello.output()).contains("out\n").contains("err\n");

        Command.Result apiServer = cluster.kubectl("exec", "shell", "--", "sh", "-c",
                "echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT_HTTPS");
        assertThat(apiServer.assertSuccess().output()).as("the kubernetes service's variables").isEqualTo("10.96.0.1:443\n");

        Command.Result failing = cluster.kubectl("exec", "shell", "--", "sh", "-c", "exit 3");
        assertThat(failing.exitCode()).isEqualTo(3);
        assertThat(failing.output()).contains("command terminated with exit code 3");

        Command.Result missing = cluster.kubectl("exec", "shell", "-c", "nope", "--", "true");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.output()).contains("container nope is not valid for pod shell");
    }

    @Test
    void execCarriesStdinAndATerminal() throws Exception {
        Process cat = kubectlProcess(List.of("exec", "-i", "shell", "--", "sh", "-c", "tr a-z A-Z"));
        cat.getOutputStream().write("through stdin\n".getBytes(StandardCharsets.UTF_8));
        cat.getOutputStream().close();
        assertThat(cat.waitFor(60, TimeUnit.SECONDS)).as("kubectl exec -i finished").isTrue();
        assertThat(new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("THROUGH STDIN\n");
        assertThat(cat.exitValue()).isZero();

        // script(1) gives kubectl a terminal, as a user's shell would.
        Process tty = new ProcessBuilder("script", "-qec", "kubectl --kubeconfig " + cluster.controlPlane().kubeconfig()
                + " exec -it shell -- sh -c 'tty; stty size'", "/dev/null").redirectErrorStream(true).start();
        tty.getOutputStream().close();
        assertThat(tty.waitFor(60, TimeUnit.SECONDS)).as("kubectl exec -it finished").isTrue();
        assertThat(new String(tty.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("/dev/pts/");
    }

    @Test
    void cpCopiesFilesIntoAndOutOfTheContainer() throws Exception {
        Path local = Files.writeString(work.resolve("upload.txt"), "copied in\n");
        cluster.kubectl("cp", local.toString(), "default/shell:/tmp/upload.txt").assertSuccess();
        assertThat(cluster.kubectl("exec", "shell", "--", "cat", "/tmp/upload.txt").assertSuccess().output())
                .isEqualTo("copied in\n");

        Path back = work.resolve("download.html");
        cluster.kubectl("cp", "default/shell:/www/index.html", back.toString()).assertSuccess();
        assertThat(back).hasContent("served-from-the-pod");
    }

    @Test
    void attachShowsTheRunningContainersOutput() throws Exception {
        cluster.create(NodeAgentCluster.busyboxPod("ticker", "Always",
                "i=0; while true; do i=$((i+1)); echo tick-$i; sleep 1; done"));
        cluster.awaitPod("ticker", NodeAgentCluster.inPhase("Running"));
        Process attach = kubectlProcess(List.of("attach", "ticker"));
        StringBuffer seen = new StringBuffer();
        Thread reader = new Thread(() -> {
            try {
                byte[] chunk = new byte[256];
                int n;
                while ((n = attach.getInputStream().read(chunk)) > 0) {
                    seen.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // kubectl was stopped
            }
        });
        reader.start();
        try {
            Await.until(Duration.ofSeconds(30), "two lines of the running container's output through attach",
                    () -> seen.toString().split("tick-\\d+\\n", -1).length > 2);
        } finally {
            attach.destroy();
            attach.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void portForwardReachesAnHttpServerInThePod() throws Exception {
        int local = FreePorts.next();
        Process forward = kubectlProcess(List.of("port-forward", "pod/shell", local + ":8080"));
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<String> bodies = new ArrayList<>();
            Await.until(Duration.ofSeconds(30), "the pod's page through the forwarded port", () -> {
                try {
                    bodies.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
                    return true;
                } catch (IOException | InterruptedException e) {
                    return false; // kubectl is still setting up the forward
                }
            });
            assertThat(bodies.get(bodies.size() - 1)).isEqualTo("served-from-the-pod\n");
            for (int i = 0; i < 5; i++) {
                assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/index.html"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
        } finally {
            forward.destroy();
            forward.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Process kubectlProcess(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig",
                cluster.controlPlane().kubeconfig().toString()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
