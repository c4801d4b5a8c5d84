package dev.flotilla.protobuf;

import static dev.flotilla.protobuf.JsonTrees.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end with the real kubectl on PATH (skipped without one): a plain-HTTP server on loopback
 * decodes the protobuf bodies kubectl's typed clients send and answers with the decoded JSON, which
 * kubectl must then accept. Checks both what we decode and that kubectl is happy with the answer.
 */
class KubectlLiveTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path home;

  private HttpServer server;
  private final Map<String, ObjectNode> received = new ConcurrentHashMap<>();
  private final List<String> contentTypes = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    assumeTrue(kubectl() != null, "kubectl is not on PATH");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void createNamespace() throws Exception {
    String output = kubectl("create", "namespace", "demo", "--validate=false");

    assertThat(output).contains("namespace/demo created");
    assertThat(contentTypes).contains(KubernetesProtobuf.MEDIA_TYPE);
    assertThat(received.get("/api/v1/namespaces")).isEqualTo(json("""
        {'apiVersion': 'v1', 'kind': 'Namespace',
         'metadata': {'name': 'demo', 'creationTimestamp': null}, 'spec': {}, 'status': {}}"""));
  }

  @Test
  void createConfigMap() throws Exception {
    String output = kubectl("create", "configmap", "c", "--from-literal=a=b", "-n", "default",
        "--validate=false");

    assertThat(output).contains("configmap/c created");
    assertThat(received.get("/api/v1/namespaces/default/configmaps")).isEqualTo(json("""
        {'apiVersion': 'v1', 'kind': 'ConfigMap',
         'metadata': {'name': 'c', 'namespace': 'default', 'creationTimestamp': null},
         'data': {'a': 'b'}}"""));
  }

  @Test
  void authCanI() throws Exception {
    String output = kubectl("auth", "can-i", "get", "pods", "-n", "default");

    assertThat(output.strip()).isEqualTo("yes");
    assertThat(received.get("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"))
        .isEqualTo(json("""
            {'apiVersion': 'authorization.k8s.io/v1', 'kind': 'SelfSubjectAccessReview',
             'metadata': {'creationTimestamp': null},
             'spec': {'resourceAttributes': {'namespace': 'default', 'verb': 'get',
                                             'resource': 'pods'}},
             'status': {'allowed': false}}"""));
  }

  /**
   * kubectl's typed "create" commands: what it sends, decoded, is what it prints itself with
   * {@code --dry-run=client -o json} (compared without empty strings, see KubectlBodiesTest). This
   * is where the inlined-struct and explicit-zero rules of JsonRules meet real Go output.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "deployment d --image=nginx --replicas=0",
      "deployment d --image=nginx --port=8080 --replicas=3",
      "job j --image=busybox -- echo hi",
      "cronjob cj --image=busybox --schedule=*/5_*_*_*_* -- date",
      "service clusterip s --tcp=80:8080",
      "service nodeport s --tcp=80:8080 --node-port=30080",
      "service loadbalancer s --tcp=443:8443",
      "service externalname s --external-name=example.com",
      "secret generic s --from-literal=a=b --type=Opaque",
      "secret docker-registry s --docker-server=r.example.com --docker-username=u --docker-password=p",
      "serviceaccount sa",
      "quota q --hard=pods=2,requests.cpu=0",
      "poddisruptionbudget p --selector=app=x --min-available=0",
      "priorityclass pc --value=0 --global-default=false --preemption-policy=Never",
      "ingress i --rule=foo.example.com/bar*=svc:8080 --class=nginx",
      "configmap c --from-literal=empty= --from-literal=k=v",
      "rolebinding rb --role=r --user=u --serviceaccount=default:sa",
      "clusterrolebinding crb --clusterrole=cr --group=g"})
  void createMatchesKubectlsOwnJson(String arguments) throws Exception {
    // Flags first: whatever follows "--" is the container's command.
    List<String> create = new ArrayList<>(List.of("create", "-n", "default"));
    List<String> dryRun = new ArrayList<>(create);
    dryRun.addAll(List.of("--dry-run=client", "-o", "json"));
    create.add("--validate=false");
    for (String argument : arguments.split(" ")) {
      create.add(argument.replace('_', ' '));
      dryRun.add(argument.replace('_', ' '));
    }
    ObjectNode expected = (ObjectNode) JSON.readTree(kubectl(dryRun.toArray(String[]::new)));

    kubectl(create.toArray(String[]::new));

    assertThat(received).hasSize(1);
    ObjectNode actual = received.values().iterator().next().deepCopy();
    if (expected.path("kind").asText().equals("PodDisruptionBudget")) {
      // The one known difference here: Go writes PDB status counters (plain int32 without
      // omitempty) as 0; zero scalars outside JsonRules.EXPLICIT_ZERO are left out.
      expected.remove("status");
      actual.remove("status");
    }
    assertThat(KubectlBodiesTest.withoutEmptyStrings(actual))
        .isEqualTo(KubectlBodiesTest.withoutEmptyStrings(expected));
  }

  /** Decodes protobuf POSTs and answers with their JSON; everything else (discovery) is 404. */
  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      synchronized (contentTypes) {
        contentTypes.add(String.valueOf(contentType));
      }
      if (!exchange.getRequestMethod().equals("POST") || !KubernetesProtobuf.isProtobuf(contentType)) {
        respond(exchange, 404, "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
            + "\"reason\":\"NotFound\",\"code\":404}");
        return;
      }
      ObjectNode object = KubernetesProtobuf.decode(body);
      received.put(exchange.getRequestURI().getPath(), object.deepCopy());
      if (object.path("kind").asText().endsWith("AccessReview")) {
        object.putObject("status").put("allowed", true);
      }
      respond(exchange, 201, JSON.writeValueAsString(object));
    }
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** Runs kubectl against the test server with an empty kubeconfig and its own cache. */
  private String kubectl(String... args) throws Exception {
    Path kubeconfig = Files.writeString(home.resolve("kubeconfig"), "");
    List<String> command = new ArrayList<>(List.of(kubectl(),
        "--server=http://127.0.0.1:" + server.getAddress().getPort(),
        "--cache-dir=" + home.resolve("cache"), "--request-timeout=20s"));
    command.addAll(List.of(args));
    // Files, not pipes: kubectl's discovery warnings on stderr must not block it or mix with stdout.
    Path stdout = home.resolve("stdout");
    Path stderr = home.resolve("stderr");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("HOME", home.toString());
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl did not finish in 60 s");
    }
    String output = Files.readString(stdout);
    assertThat(process.exitValue())
        .as("kubectl %s: %s %s", command, output, Files.readString(stderr))
        .isZero();
    return output;
  }

  private static String kubectl() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String directory : path.split(File.pathSeparator)) {
      File candidate = new File(directory, "kubectl");
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    return null;
  }
}
