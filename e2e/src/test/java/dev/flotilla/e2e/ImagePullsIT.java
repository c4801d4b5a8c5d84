package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.node.images.PlatformRegistry;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.RegistryServer;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Image pulls on a real node agent and containerd against real registries on loopback: a private
 * registry with an htpasswd login (images pushed with skopeo) and the platform registry with the base
 * images. A private image pulls with the pod's secret and with its ServiceAccount's; without one the
 * pod goes ErrImagePull then ImagePullBackOff; a missing tag fails with the registry's "not found";
 * policy Never with a missing image is ErrImageNeverPull; an image pushed while the pod backs off runs.
 */
class ImagePullsIT {

    private static final String USER = "puller";
    private static final String PASSWORD = "s3cret-pull";
    private static final Duration BACK_OFF_DEADLINE = Duration.ofSeconds(150);

    private static NodeAgentCluster cluster;
    private static RegistryServer privateRegistry;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeAgentCluster.start("pulls-1");
        privateRegistry = RegistryServer.startWithLogin(USER, PASSWORD);
        // As an operator adds a plain-HTTP registry for containerd (the platform registry's is written by the agent).
        new PlatformRegistry(privateRegistry.address(), List.of()).writeHostsFiles(cluster.registryHostsDir());
        push("private/app:1");
        push("private/other:1");
        String config = "{\"auths\":{\"" + privateRegistry.address() + "\":{\"auth\":\""
                + b64(USER + ":" + PASSWORD) + "\"}}}";
        cluster.client().secrets().inNamespace(NodeAgentCluster.NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName("regcred").endMetadata().withType("kubernetes.io/dockerconfigjson")
                .withData(Map.of(".dockerconfigjson", b64(config))).build()).create();
        cluster.client().serviceAccounts().inNamespace(NodeAgentCluster.NAMESPACE).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("puller").endMetadata().addNewImagePullSecret("regcred").build()).create();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster, privateRegistry);
    }

    /** Copies the platform registry's busybox into the private registry as {@code repository:tag}, with the login. */
    private static void push(String repositoryAndTag) {
        String source = PlatformImages.registry().address() + "/docker.io/library/busybox:latest";
        Command.run(Duration.ofMinutes(2), List.of("skopeo", "copy", "--quiet", "--insecure-policy",
                "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-creds", USER + ":" + PASSWORD,
                "docker://" + source, "docker://" + privateRegistry.address() + "/" + repositoryAndTag)).assertSuccess();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Pod pod(String name, String image, String policy, String secret, String account) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NodeAgentCluster.NAMESPACE)
                .endMetadata().withNewSpec().withRestartPolicy("Never").withServiceAccountName(account)
                .addNewContainer().withName("main").withImage(image).withImagePullPolicy(policy)
                .withCommand("sh", "-c", "echo pulled-and-running; sleep 3600").endContainer().endSpec();
        if (secret != null) {
            pod.editSpec().addNewImagePullSecret(secret).endSpec();
        }
        return pod.build();
    }

    private static Optional<ContainerStateWaiting> waiting(Pod pod) {
        return NodeAgentCluster.firstContainerStatus(pod).map(s -> s.getState().getWaiting());
    }

    private static Pod awaitWaiting(String name, String reason, Duration deadline) {
        return Await.value(deadline, "pod " + name + " waiting in " + reason, () -> {
            Pod pod = cluster.client().pods().inNamespace(NodeAgentCluster.NAMESPACE).withName(name).get();
            return pod != null && waiting(pod).map(w -> reason.equals(w.getReason())).orElse(false) ? pod : null;
        });
    }

    private static String kubectlStatus(String name) {
        return cluster.kubectl("get", "pod", name, "--no-headers").assertSuccess().output();
    }

    private static List<Event> events(String pod, String reason) {
        return cluster.client().v1().events().inNamespace(NodeAgentCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
    }

    private static Event awaitEvent(String pod, String reason, String messageStart) {
        return Await.value(NodeAgentCluster.POD_DEADLINE, "event " + reason + " \"" + messageStart + "…\" of " + pod,
                () -> events(pod, reason).stream().filter(e -> e.getMessage().startsWith(messageStart)).findFirst()
                        .orElse(null));
    }

    @Test
    void privateImagePullsWithThePodsSecretAndWithItsServiceAccounts() {
        String image = privateRegistry.address() + "/private/app:1";
        cluster.create(pod("with-secret", image, "IfNotPresent", "regcred", null));
        cluster.awaitPod("with-secret", NodeAgentCluster.inPhase("Running"));
        Event pulled = awaitEvent("with-secret", "Pulled", "Successfully pulled image \"" + image + "\" in ");
        assertThat(pulled.getMessage()).matches("Successfully pulled image \"\\Q" + image + "\\E\" in [0-9.]+m?s "
                + "\\([0-9.]+m?s including waiting\\)\\. Image size: [1-9][0-9]* bytes\\.");
        awaitEvent("with-secret", "Pulling", "Pulling image \"" + image + "\"");

        // No imagePullSecrets of its own: the ServiceAccount admission copies the account's; Always pulls again.
        Pod created = cluster.create(pod("via-account", image, "Always", null, "puller"));
        assertThat(created.getSpec().getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("regcred");
        cluster.awaitPod("via-account", NodeAgentCluster.inPhase("Running"));
        awaitEvent("via-account", "Pulled", "Successfully pulled image \"" + image + "\" in ");
    }

    @Test
    void withoutTheSecretErrImagePullThenImagePullBackOff() {
        String image = privateRegistry.address() + "/private/other:1";
        cluster.create(pod("no-secret", image, "IfNotPresent", null, null));
        Pod failed = awaitWaiting("no-secret", "ErrImagePull", NodeAgentCluster.POD_DEADLINE);
        assertThat(waiting(failed).orElseThrow().getMessage())
                .startsWith("rpc error: code = Unknown desc = failed to pull and unpack image \"" + image + "\"")
                .contains("401 Unauthorized");
        assertThat(failed.getStatus().getPhase()).isEqualTo("Pending");
        Pod backingOff = awaitWaiting("no-secret", "ImagePullBackOff", BACK_OFF_DEADLINE);
        assertThat(waiting(backingOff).orElseThrow().getMessage()).isEqualTo("Back-off pulling image \"" + image + "\"");
        Await.until(BACK_OFF_DEADLINE, "kubectl get pod showing ImagePullBackOff",
                () -> kubectlStatus("no-secret").matches("no-secret\\s+0/1\\s+ImagePullBackOff\\s+0\\s+.*\\s*"));
        awaitEvent("no-secret", "Failed", "Failed to pull image \"" + image + "\": rpc error: code = Unknown desc = ");
        awaitEvent("no-secret", "Failed", "Error: ErrImagePull");
        awaitEvent("no-secret", "BackOff", "Back-off pulling image \"" + image + "\"");
        assertThat(cluster.agent().cri().imageStatus(image)).isEmpty();
    }

    @Test
    void missingTagIsErrImagePullWithTheRegistrysNotFound() {
        cluster.create(pod("missing-tag", "busybox:no-such-tag", null, null, null));
        Pod failed = awaitWaiting("missing-tag", "ErrImagePull", NodeAgentCluster.POD_DEADLINE);
        assertThat(waiting(failed).orElseThrow().getMessage())
                .startsWith("rpc error: code = NotFound desc = failed to pull and unpack image "
                        + "\"docker.io/library/busybox:no-such-tag\"")
                .endsWith("not found");
    }

    @Test
    void neverWithAMissingImageIsErrImageNeverPull() {
        cluster.create(pod("never", "busybox:never-here", "Never", null, null));
        Pod failed = awaitWaiting("never", "ErrImageNeverPull", NodeAgentCluster.POD_DEADLINE);
        assertThat(waiting(failed).orElseThrow().getMessage())
                .isEqualTo("Container image \"busybox:never-here\" is not present with pull policy of Never");
        awaitEvent("never", "ErrImageNeverPull", "Container image \"busybox:never-here\" is not present");
        assertThat(events("never", "Pulling")).isEmpty();
    }

    @Test
    void anImagePushedDuringTheBackOffRunsAtTheNextAttempt() {
        String image = privateRegistry.address() + "/private/late:1";
        cluster.create(pod("late", image, "IfNotPresent", "regcred", null));
        Pod failed = awaitWaiting("late", "ErrImagePull", NodeAgentCluster.POD_DEADLINE);
        assertThat(waiting(failed).orElseThrow().getMessage()).contains("not found");
        awaitWaiting("late", "ImagePullBackOff", BACK_OFF_DEADLINE);
        push("private/late:1");
        Pod running = Await.value(BACK_OFF_DEADLINE, "pod late Running after the push", () -> {
            Pod pod = cluster.client().pods().inNamespace(NodeAgentCluster.NAMESPACE).withName("late").get();
            return "Running".equals(pod.getStatus().getPhase()) ? pod : null;
        });
        assertThat(NodeAgentCluster.firstContainerStatus(running).orElseThrow().getImageID()).isNotEmpty();
        Await.until(NodeAgentCluster.POD_DEADLINE, "the log of pod late",
                () -> cluster.kubectl("logs", "late").output().contains("pulled-and-running"));
    }
}
