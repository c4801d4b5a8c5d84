package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local-path provisioner on a real node agent: a claim's directory appears under the node's
 * state directory when its first pod starts, keeps its data for the next pod, and goes with the
 * claim; a StatefulSet's claim template keeps a pod's data across its re-creation.
 */
class LocalPathVolumesIT {

    private static final String NODE = "localpath-1";
    private static NodeAgentCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeAgentCluster.start(NODE);
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void dataOutlivesThePodAndTheDirectoryGoesWithTheClaim() {
        assertThat(client.nodes().withName(NODE).get().getMetadata().getAnnotations())
                .containsEntry("local-path.flotilla.dev/base-dir", cluster.stateDir().resolve("local-path").toString());
        apply("claim.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data}
                spec: {storageClassName: local-path, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """);
        apply("writer.yaml", pod("writer", "echo kept > /data/f && echo wrote"));
        cluster.awaitPod("writer", NodeAgentCluster.inPhase("Succeeded"));
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(NodeAgentCluster.NAMESPACE)
                .withName("data").get();
        assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
        PersistentVolume volume = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
        Path directory = cluster.stateDir().resolve("local-path").resolve(volume.getMetadata().getName());
        assertThat(volume.getSpec().getHostPath().getPath()).isEqualTo(directory.toString());
        assertThat(directory.resolve("f")).hasContent("kept");

        kubectl("delete", "pod", "writer", "--wait=true", "--timeout=60s");
        apply("reader.yaml", pod("reader", "cat /data/f"));
        cluster.awaitPod("reader", NodeAgentCluster.inPhase("Succeeded"));
        assertThat(kubectl("logs", "reader").output().strip()).isEqualTo("kept");

        kubectl("delete", "pod", "reader", "--wait=true", "--timeout=60s");
        kubectl("delete", "pvc", "data", "--wait=true", "--timeout=60s");
        Await.until(NodeAgentCluster.POD_DEADLINE, "the volume deleted once the node removed its directory",
                () -> client.persistentVolumes().withName(volume.getMetadata().getName()).get() == null);
        assertThat(Files.exists(directory)).isFalse();
    }

    @Test
    void aStatefulSetPodFindsItsDataAgainAfterItIsReplaced() {
        apply("web.yaml", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: web}
                spec:
                  serviceName: web
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: main
                        image: busybox
                        command: [sh, -c, 'if [ -f /www/seen ]; then echo again; else echo once > /www/seen; echo fresh; fi; sleep 3600']
                        volumeMounts: [{name: www, mountPath: /www}]
                  volumeClaimTemplates:
                  - metadata: {name: www}
                    spec: {storageClassName: local-path, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """);
        String firstUid = cluster.awaitPod("web-0", NodeAgentCluster.inPhase("Running")).getMetadata().getUid();
        Await.until(NodeAgentCluster.POD_DEADLINE, "web-0 wrote its marker",
                () -> kubectl("logs", "web-0").output().contains("fresh"));
        kubectl("delete", "pod", "web-0", "--wait=true", "--timeout=60s");
        cluster.awaitPod("web-0", pod -> !pod.getMetadata().getUid().equals(firstUid)
                && "Running".equals(pod.getStatus().getPhase()));
        Await.until(NodeAgentCluster.POD_DEADLINE, "the new web-0 found the marker",
                () -> kubectl("logs", "web-0").output().contains("again"));
        assertThat(client.persistentVolumeClaims().inNamespace(NodeAgentCluster.NAMESPACE).withName("www-web-0").get()
                .getStatus().getPhase()).isEqualTo("Bound");
        kubectl("delete", "statefulset", "web", "--wait=true", "--timeout=60s");
    }

    private static String pod(String name, String script) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  restartPolicy: Never
                  containers: [{name: main, image: busybox, command: [sh, -c, '%s'], volumeMounts: [{name: d, mountPath: /data}]}]
                  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
                """.formatted(name, script);
    }

    private static void apply(String file, String yaml) {
        kubectl("apply", "-f", cluster.controlPlane().file(file, yaml).toString());
    }

    private static Command.Result kubectl(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }
}
