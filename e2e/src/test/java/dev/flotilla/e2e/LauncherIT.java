package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.HttpsClient;
import dev.flotilla.testsupport.TempDirs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code flotilla} launcher as a user runs it: up, status, env + kubectl, a dependency killed and
 * brought back, down, up again with the data kept, logs, reset. Runs on its own state directory and
 * free ports so it never touches a platform already running on this machine.
 */
class LauncherIT {

    private static final Path HOME = Path.of(System.getProperty("flotilla.home", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path stateDir;
    private Map<String, String> env;

    @BeforeEach
    void isolatedPlatform() {
        stateDir = TempDirs.create("flotilla-e2e-state-");
        env = LauncherEnvironment.isolated(stateDir);
        env.put("FLOTILLA_NODE_NAME", "launcher-node");
        env.put("FLOTILLA_KEYCLOAK", "0"); // KeycloakLoginIT covers the launcher's Keycloak
    }

    @AfterEach
    void tearDown() {
        flotilla("down");
        if (Files.exists(stateDir.resolve(".flotilla-state"))) {
            flotilla("reset", "--yes"); // also removes what the node agent's pods left mounted
        }
        TempDirs.deleteRecursively(stateDir);
        assertThat(ourProcesses()).as("processes left running").isEmpty();
    }

    @Test
    void upStatusEnvKubectlOutageDownAndUpAgainKeepingData() throws Exception {
        Command.Result up = flotilla("up").assertSuccess();
        assertThat(up.output()).contains("==> Starting etcd", "==> Starting PostgreSQL",
                "==> Starting the control plane", "Flotilla is up").containsPattern("done in \\d+\\.\\ds");

        assertThat(flotilla("status").assertSuccess().output())
                .containsPattern("etcd\\s+ready").containsPattern("postgres\\s+ready").containsPattern("apiserver\\s+ready");

        Map<String, String> exports = exports(flotilla("env").assertSuccess().output());
        if (ROOT) {
            assertThat(up.output()).contains("==> Joining node launcher-node with a bootstrap token",
                    "==> Starting the node agent launcher-node");
            assertThat(flotilla("status").output()).containsPattern("node-agent\\s+ready");
            runsAPodAndShowsItsLog(exports);
            runsTheEchoImageFromThePlatformRegistry(exports);
        }
        assertThat(exports).containsKeys("KUBECONFIG", "FLOTILLA_APISERVER", "FLOTILLA_CA_CERT", "ETCDCTL_ENDPOINTS");
        HttpsClient curl = HttpsClient.anonymous(exports.get("FLOTILLA_APISERVER"), stateDir.resolve("pki"));
        assertThat(curl.get("/readyz").body()).isEqualTo("ok");

        JsonNode versions = kubectlVersion(exports);
        assertThat(versions.at("/clientVersion/gitVersion").asText()).startsWith("v1.");
        assertThat(versions.at("/serverVersion/gitVersion").asText()).startsWith("v1.32.0+flotilla.");

        assertThat(flotilla("up").assertSuccess().output()).contains("already up").doesNotContain("==> Starting");

        Map<String, String> shell = new HashMap<>(exports);
        Command.run(Duration.ofSeconds(20), null, shell, List.of("etcdctl", "put", "/e2e/kept", "across-restarts"))
                .assertSuccess();
        String clusterId = psql(exports, "SELECT cluster_id FROM cluster_identity");
        assertThat(clusterId).matches("[0-9a-f-]{36}");

        // etcd dies under the running control plane: readiness names it; `up` brings it back.
        long etcdPid = Long.parseLong(Files.readString(stateDir.resolve("run/etcd.pid")).trim());
        ProcessHandle etcdProcess = ProcessHandle.of(etcdPid).orElseThrow();
        etcdProcess.destroyForcibly();
        etcdProcess.onExit().get();
        Await.until(Duration.ofSeconds(15), "/readyz to name etcd", () -> {
            var r = curl.get("/readyz");
            return r.statusCode() == 500 && r.body().contains("[-]etcd failed");
        });
        Command.Result status = flotilla("status");
        assertThat(status.exitCode()).isNotZero();
        assertThat(status.output()).containsPattern("etcd\\s+stopped");
        assertThat(flotilla("up").assertSuccess().output()).contains("==> Starting etcd").contains("already running");
        assertThat(curl.get("/readyz").body()).isEqualTo("ok");

        Command.Result down = flotilla("down").assertSuccess();
        assertThat(down.output()).contains("Flotilla is down; data kept");
        assertThat(ourProcesses()).isEmpty();
        assertThat(flotilla("status").exitCode()).isNotZero();

        flotilla("up").assertSuccess();
        assertThat(Command.run(Duration.ofSeconds(20), null, shell, List.of("etcdctl", "get", "--print-value-only",
                "/e2e/kept")).assertSuccess().output().trim()).isEqualTo("across-restarts");
        assertThat(psql(exports, "SELECT cluster_id FROM cluster_identity")).isEqualTo(clusterId);
        assertThat(kubectlVersion(exports).at("/serverVersion/major").asText()).isEqualTo("1");

        assertThat(flotilla("logs", "apiserver").assertSuccess().output()).contains("Flotilla control plane started");
        assertThat(flotilla("logs", "nothing").exitCode()).isNotZero();

        assertThat(flotilla("reset").exitCode()).as("reset without --yes refuses").isNotZero();
        assertThat(stateDir).exists();
        flotilla("reset", "--yes").assertSuccess();
        assertThat(stateDir).doesNotExist();
        assertThat(ourProcesses()).isEmpty();
    }

    @Test
    void failedStepIsNamedWithItsLogAndWhatToDo() throws IOException {
        int busy = Integer.parseInt(env.get("FLOTILLA_ETCD_CLIENT_PORT"));
        try (ServerSocket squatter = new ServerSocket(busy, 1, InetAddress.getLoopbackAddress())) {
            Command.Result up = flotilla("up");

            assertThat(up.exitCode()).isEqualTo(1);
            assertThat(up.output()).contains("FAILED at step 'Starting etcd on 127.0.0.1:" + busy + "'")
                    .contains("--- last lines of " + stateDir.resolve("logs/etcd.log"))
                    .contains("What to do: check that port " + busy);
        }
    }

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    /** Right after `up`, as the README says: kubectl run, then kubectl logs through the API server. */
    private static void runsAPodAndShowsItsLog(Map<String, String> exports) {
        kubectl(exports, "run", "hello", "--image=busybox", "--restart=Never", "--", "echo", "hello from up")
                .assertSuccess();
        Await.until(Duration.ofSeconds(90), "pod hello Succeeded", () -> kubectl(exports, "get", "pod", "hello", "-o",
                "jsonpath={.status.phase}").output().equals("Succeeded"));
        assertThat(kubectl(exports, "logs", "hello").assertSuccess().output()).isEqualTo("hello from up\n");
        kubectl(exports, "delete", "pod", "hello", "--wait=true", "--timeout=60s").assertSuccess();
    }

    /** The registry `up` started holds the base images, and the echo demo from it runs and logs. */
    private void runsTheEchoImageFromThePlatformRegistry(Map<String, String> exports) {
        String registry = "127.0.0.1:" + env.get("FLOTILLA_REGISTRY_PORT");
        assertThat(flotilla("status").output()).containsPattern("registry\\s+ready");
        assertThat(flotilla("image", "list").assertSuccess().output().lines())
                .contains(registry + "/flotilla/echo:latest", "docker.io/library/busybox:latest", "registry.k8s.io/pause:3.9");
        kubectl(exports, "run", "web", "--image=" + registry + "/flotilla/echo").assertSuccess();
        Await.until(Duration.ofSeconds(90), "pod web logging", () -> kubectl(exports, "logs", "web").output()
                .contains("echo server listening on :8080"));
        kubectl(exports, "delete", "pod", "web", "--wait=true", "--timeout=60s").assertSuccess();
    }

    private static Command.Result kubectl(Map<String, String> exports, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(70), null, exports, command);
    }

    @Test
    void unknownCommandPrintsUsage() {
        Command.Result result = flotilla("frobnicate");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("unknown command 'frobnicate'").contains("Usage: flotilla COMMAND");
    }

    private Command.Result flotilla(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(HOME.resolve("flotilla").toString()));
        command.addAll(List.of(args));
        return Command.run(Duration.ofMinutes(4), HOME, env, command);
    }

    private JsonNode kubectlVersion(Map<String, String> exports) throws IOException {
        String out = Command.run(Duration.ofSeconds(30), null, exports, List.of("kubectl", "version", "-o", "json"))
                .assertSuccess().output();
        return JSON.readTree(out.substring(out.indexOf('{')));
    }

    private static String psql(Map<String, String> exports, String sql) {
        return Command.run(Duration.ofSeconds(20), null, exports, List.of("psql", "-tAc", sql)).assertSuccess()
                .output().trim();
    }

    /** Parses `export A=b C=d` lines as printed by `flotilla env`. */
    static Map<String, String> exports(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Z_]+)=(\\S+)").matcher(output);
        while (m.find()) {
            values.put(m.group(1), m.group(2));
        }
        return values;
    }

    /** Processes whose command line names this test's state directory. */
    private List<String> ourProcesses() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .map(p -> {
                        try {
                            return new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                                    .replace('\0', ' ');
                        } catch (IOException gone) {
                            return "";
                        }
                    })
                    .filter(cmd -> cmd.contains(stateDir.toString()))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
