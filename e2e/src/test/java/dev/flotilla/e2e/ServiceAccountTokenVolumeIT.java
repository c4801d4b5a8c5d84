package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The ServiceAccount token volume admission adds ({@code kube-api-access-<random>}) on a real node agent:
 * token, ca.crt and namespace readable at /var/run/secrets/kubernetes.io/serviceaccount, the token
 * accepted by TokenReview for the pod, the ca.crt the cluster CA; a projected volume whose ConfigMap is
 * missing retried with FailedMount until it appears; a token replaced before it expires.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceAccountTokenVolumeIT {

    private static final String MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** The shortest lifetime TokenRequest allows; the kubelet replaces it after 80%, i.e. 480 s. */
    private static final Duration REFRESH_DEADLINE = Duration.ofMinutes(12);

    private static NodeAgentCluster cluster;
    private static KubernetesClient client;
    private static String firstShortToken;
    private static Instant shortTokenRead;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeAgentCluster.start("satoken-1");
        client = cluster.client();
        // Started first so that its token's refresh, minutes away, overlaps the other tests.
        cluster.apply("short.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: short-lived}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: busybox
                    command: [sleep, "3600"]
                    volumeMounts: [{name: short, mountPath: /short}]
                  volumes:
                  - name: short
                    projected:
                      sources:
                      - serviceAccountToken: {expirationSeconds: 600, path: token}
                """);
        cluster.awaitPod("short-lived", NodeAgentCluster.inPhase("Running"));
        firstShortToken = exec("short-lived", "cat /short/token");
        shortTokenRead = Instant.now();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster);
    }

    @Test
    @Order(1)
    void aPodReadsItsTokenTheClusterCaAndItsNamespaceFromTheDefaultMount() throws Exception {
        cluster.apply("reader.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: reader}
                spec:
                  terminationGracePeriodSeconds: 1
                  initContainers:
                  - name: init
                    image: busybox
                    command: [sh, -c, 'test -s %1$s/token && echo init-saw-token']
                  containers:
                  - {name: main, image: busybox, command: [sleep, "3600"]}
                """.formatted(MOUNT));
        Pod pod = cluster.awaitPod("reader", NodeAgentCluster.inPhase("Running"));
        String volume = pod.getSpec().getVolumes().get(0).getName();
        assertThat(volume).startsWith("kube-api-access-");
        assertThat(cluster.kubectl("logs", "reader", "-c", "init").assertSuccess().output()).contains("init-saw-token");

        assertThat(exec("reader", "ls " + MOUNT)).isEqualTo("ca.crt\nnamespace\ntoken");
        assertThat(exec("reader", "cat " + MOUNT + "/namespace")).isEqualTo(NodeAgentCluster.NAMESPACE);
        assertThat(exec("reader", "cat " + MOUNT + "/ca.crt"))
                .isEqualTo(Files.readString(cluster.controlPlane().pkiDir().resolve("ca.crt")).strip());
        assertThat(exec("reader", "stat -L -c %a " + MOUNT + "/token")).as("defaultMode 420").isEqualTo("644");
        assertThat(exec("reader", "touch " + MOUNT + "/x 2>&1 || echo read-only")).endsWith("read-only");
        assertThat(exec("reader", "echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"))
                .as("the kubernetes Service's variables, from the service environment").isEqualTo("10.96.0.1:443");

        TokenReview review = review(exec("reader", "cat " + MOUNT + "/token"));
        assertThat(review.getStatus().getAuthenticated()).isTrue();
        assertThat(review.getStatus().getUser().getUsername()).isEqualTo("system:serviceaccount:default:default");
        assertThat(review.getStatus().getUser().getExtra())
                .containsEntry("authentication.kubernetes.io/pod-name", List.of("reader"))
                .containsEntry("authentication.kubernetes.io/pod-uid", List.of(pod.getMetadata().getUid()));

        cluster.kubectl("delete", "pod", "reader", "--wait=true", "--timeout=60s").assertSuccess();
        assertThat(review(review.getSpec().getToken()).getStatus().getAuthenticated())
                .as("bound to the pod: refused once it is gone").isNotEqualTo(Boolean.TRUE);
    }

    @Test
    @Order(2)
    void aMissingConfigMapIsRetriedWithFailedMountUntilItExists() {
        cluster.apply("late.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: late-ca}
                spec:
                  restartPolicy: Never
                  automountServiceAccountToken: false
                  containers:
                  - {name: main, image: busybox, command: [cat, /api/ca.crt], volumeMounts: [{name: api, mountPath: /api}]}
                  volumes:
                  - name: api
                    projected:
                      sources:
                      - serviceAccountToken: {path: token}
                      - configMap: {name: published-later, items: [{key: ca.crt, path: ca.crt}]}
                """);
        String reason = "MountVolume.SetUp failed for volume \"api\" : configmap \"published-later\" not found";
        try {
            Await.until(NodeAgentCluster.POD_DEADLINE, "a FailedMount event with the reason", () -> client.v1().events()
                    .inNamespace(NodeAgentCluster.NAMESPACE).list().getItems().stream().anyMatch(e ->
                            "late-ca".equals(e.getInvolvedObject().getName()) && "FailedMount".equals(e.getReason())
                                    && reason.equals(e.getMessage()) && "Warning".equals(e.getType())));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; describe: " + cluster.kubectl("describe", "pod", "late-ca")
                    .output(), e);
        }
        assertThat(cluster.kubectl("describe", "pod", "late-ca").assertSuccess().output())
                .containsPattern("Warning\\s+FailedMount\\s+.*kubelet\\s+" + Pattern.quote(reason));
        assertThat(cluster.kubectl("get", "pod", "late-ca").output()).contains("ContainerCreating");

        client.configMaps().inNamespace(NodeAgentCluster.NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("published-later").endMetadata().withData(Map.of("ca.crt", "arrived")).build()).create();
        Await.until(NodeAgentCluster.POD_DEADLINE, "the pod started once the ConfigMap exists",
                () -> cluster.kubectl("logs", "late-ca").output().contains("arrived"));
    }

    @Test
    @Order(3)
    void aTokenIsReplacedBeforeItExpires() {
        TokenReview first = review(firstShortToken);
        assertThat(first.getStatus().getAuthenticated()).isTrue();
        Pod pod = client.pods().inNamespace(NodeAgentCluster.NAMESPACE).withName("short-lived").get();
        // Polled on the node's side (cheap); the container is asked once it changed.
        Path onNode = cluster.stateDir().resolve("kubelet/pods").resolve(pod.getMetadata().getUid())
                .resolve("volumes/kubernetes.io~projected/short/token");
        Await.until(REFRESH_DEADLINE, "the 600 s token replaced", () -> !read(onNode).equals(firstShortToken));
        Duration after = Duration.between(shortTokenRead, Instant.now());
        String replaced = exec("short-lived", "cat /short/token");
        assertThat(replaced).as("the container sees the new token").isNotEqualTo(firstShortToken);
        assertThat(after).as("replaced at 80% of 600 s, before it expires").isLessThan(Duration.ofSeconds(600));
        assertThat(review(replaced).getStatus().getAuthenticated()).isTrue();
        assertThat(review(replaced).getStatus().getUser().getExtra())
                .containsEntry("authentication.kubernetes.io/pod-name", List.of("short-lived"));
    }

    private static String exec(String pod, String script) {
        return cluster.kubectl("exec", pod, "-c", "main", "--", "sh", "-c", script).assertSuccess().output().strip();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TokenReview review(String token) {
        return client.tokenReviews().create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    }
}
