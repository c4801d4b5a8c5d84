package dev.flotilla.e2e;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * The reads and kubectl steps the volume ITs share, for one test namespace: apply YAML, claims,
 * volumes and their phases, where a pod was placed, the last event of a reason about an object.
 */
final class VolumeScenario {

    private final ControlPlane cluster;
    private final KubernetesClient client;
    private final String ns;
    private final Duration wait;

    VolumeScenario(ControlPlane cluster, KubernetesClient client, String ns, Duration wait) {
        this.cluster = cluster;
        this.client = client;
        this.ns = ns;
        this.wait = wait;
    }

    /** A pod mounting {@code claim} at /data, pinned to {@code nodeName} by nodeSelector unless null. */
    static String pod(String name, String claim, String nodeName) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  %s
                  containers: [{name: main, image: busybox, volumeMounts: [{name: d, mountPath: /data}]}]
                  volumes: [{name: d, persistentVolumeClaim: {claimName: %s}}]
                """.formatted(name, nodeName == null ? "" : "nodeSelector: {kubernetes.io/hostname: " + nodeName + "}", claim);
    }

    void apply(String file, String yaml) {
        kubectl("-n", ns, "apply", "-f", cluster.file(ns + "-" + file, yaml).toString());
    }

    Command.Result kubectl(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }

    PersistentVolumeClaim claim(String name) {
        return client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
    }

    PersistentVolume volume(String name) {
        return client.persistentVolumes().withName(name).get();
    }

    static String phase(PersistentVolume volume) {
        return volume == null || volume.getStatus() == null || volume.getStatus().getPhase() == null ? ""
                : volume.getStatus().getPhase();
    }

    static String phase(PersistentVolumeClaim claim) {
        return claim == null || claim.getStatus() == null || claim.getStatus().getPhase() == null ? ""
                : claim.getStatus().getPhase();
    }

    /** The node the pod is bound to, or null while it is not (or does not exist). */
    String nodeOf(String podName) {
        Pod pod = client.pods().inNamespace(ns).withName(podName).get();
        String node = pod == null ? null : pod.getSpec().getNodeName();
        return node == null || node.isEmpty() ? null : node;
    }

    String awaitNode(String podName) {
        return Await.value(wait, podName + " scheduled", () -> nodeOf(podName));
    }

    String awaitEvent(String objectName, String reason) {
        return Await.value(wait, reason + " event for " + objectName, () -> client.v1().events().inNamespace(ns)
                .list().getItems().stream()
                .filter(e -> objectName.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .map(Event::getMessage).reduce((first, last) -> last).orElse(null));
    }
}
