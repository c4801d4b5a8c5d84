package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pod garbage collector with a threshold of 3 terminated pods and a 1 s period: the oldest
 * terminated pods beyond it are deleted, running ones never; pods bound to a deleted node go.
 * Nodes here are bare Node objects without a kubelet, so the test reports pod phases itself.
 */
class PodGcIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static ControlPlane cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start("--flotilla.controllers.terminated-pod-gc-threshold=3",
                "--flotilla.controllers.pod-gc-period=1s");
        client = cluster.fabric8Client();
        for (String node : List.of("static-node", "doomed-node")) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
        }
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(client, cluster);
    }

    @Test
    void deletesTheOldestTerminatedPodsBeyondTheThreshold() {
        String ns = namespace("gc-terminated");
        PodOutcomes outcomes = new PodOutcomes(client, ns);
        client.pods().inNamespace(ns).resource(pod("running", "static-node")).create();
        for (int i = 1; i <= 5; i++) {
            Pod pod = client.pods().inNamespace(ns).resource(pod("done-" + i, "static-node")).create();
            if (i % 2 == 0) {
                outcomes.fail(pod, 1);
            } else {
                outcomes.succeed(pod);
            }
        }
        Await.until(WAIT, "3 terminated pods left", () -> names(ns).size() == 4);
        assertThat(names(ns)).containsExactly("done-3", "done-4", "done-5", "running");
    }

    @Test
    void deletesPodsOfANodeThatIsGone() {
        String ns = namespace("gc-orphans");
        client.pods().inNamespace(ns).resource(pod("orphan", "doomed-node")).create();
        client.pods().inNamespace(ns).resource(pod("kept", "static-node")).create();
        cluster.kubectl("delete", "node", "doomed-node").assertSuccess();
        Await.until(WAIT, "the doomed node's pod deleted", () -> names(ns).equals(List.of("kept")));
    }

    private static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    private static Pod pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNodeName(node)
                .addNewContainer().withName("app").withImage("registry.local/app:1").endContainer().endSpec().build();
    }

    private static List<String> names(String ns) {
        return client.pods().inNamespace(ns).list().getItems().stream().map(p -> p.getMetadata().getName()).sorted().toList();
    }
}
