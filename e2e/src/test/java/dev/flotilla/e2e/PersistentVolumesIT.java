package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.hollownodes.HollowNodeTemplate;
import dev.flotilla.hollownodes.HollowNodes;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * PersistentVolume binding end to end on the real API server with the in-server PV controller and
 * scheduler and two hollow nodes, through kubectl: static binding (smallest fitting volume, selector,
 * pre-binding, volumeMode), phases and reclaim (Retain, Delete without a deleter), the local-path
 * class with WaitForFirstConsumer provisioning on the scheduler's node, and the scheduler's and
 * controller's explanations in upstream's words.
 */
class PersistentVolumesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static HollowNodes nodes;
    private String ns;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        client = cluster.fabric8Client();
        nodes = new HollowNodes(client, HollowNodeTemplate.of("store", 2)).start();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(nodes, client, cluster);
    }

    @BeforeEach
    void namespace(TestInfo test) {
        ns = TestNamespaces.create(client, test, "pv-", 12);
    }

    @Test
    void claimsBindToTheSmallestFittingVolumeAndVolumesAreReclaimedByPolicy() {
        apply("volumes.yaml", """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: %1$s-1g}
                spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/%1$s-1g}}
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: %1$s-2g}
                spec: {capacity: {storage: 2Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/%1$s-2g}}
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: %1$s-5g}
                spec: {capacity: {storage: 5Gi}, accessModes: [ReadWriteOnce, ReadOnlyMany], hostPath: {path: /tmp/%1$s-5g}}
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: %1$s-gold, labels: {tier: gold}}
                spec: {capacity: {storage: 8Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/%1$s-gold},
                       persistentVolumeReclaimPolicy: Delete}
                """.formatted(ns));
        Await.until(WAIT, "the volumes Available", () -> phase(volume(ns + "-1g")).equals("Available")
                && phase(volume(ns + "-gold")).equals("Available"));
        apply("claims.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: fit, namespace: %1$s}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1500Mi}}}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: shared, namespace: %1$s}
                spec: {accessModes: [ReadOnlyMany], resources: {requests: {storage: 1Gi}}}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: gold, namespace: %1$s}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, selector: {matchLabels: {tier: gold}}}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: named, namespace: %1$s}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, volumeName: %1$s-1g}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: block, namespace: %1$s}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, volumeMode: Block}
                """.formatted(ns));
        assertThat(boundVolume("fit")).isEqualTo(ns + "-2g");
        assertThat(boundVolume("shared")).isEqualTo(ns + "-5g");
        assertThat(boundVolume("gold")).isEqualTo(ns + "-gold");
        assertThat(boundVolume("named")).isEqualTo(ns + "-1g");

        PersistentVolumeClaim fit = claim("fit");
        assertThat(fit.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes")
                .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        assertThat(fit.getStatus().getCapacity().get("storage").toString()).isEqualTo("2Gi");
        assertThat(claim("named").getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes")
                .doesNotContainKey("pv.kubernetes.io/bound-by-controller");
        PersistentVolume twoGig = Await.value(WAIT, "2Gi volume Bound", () -> {
            PersistentVolume v = volume(ns + "-2g");
            return phase(v).equals("Bound") ? v : null;
        });
        assertThat(twoGig.getSpec().getClaimRef().getUid()).isEqualTo(fit.getMetadata().getUid());
        assertThat(twoGig.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        assertThat(kubectl("-n", ns, "get", "pvc", "fit").output())
                .containsPattern("fit\\s+Bound\\s+" + ns + "-2g\\s+2Gi\\s+RWO");

        assertThat(awaitEvent(ns, "block", "FailedBinding"))
                .isEqualTo("no persistent volumes available for this claim and no storage class is set");
        assertThat(phase(claim("block"))).isEqualTo("Pending");

        kubectl("-n", ns, "delete", "pvc", "fit", "gold");
        Await.until(WAIT, "the Retain volume Released", () -> phase(volume(ns + "-2g")).equals("Released"));
        assertThat(volume(ns + "-2g").getSpec().getClaimRef().getName()).as("a released volume keeps its claimRef")
                .isEqualTo("fit");
        PersistentVolume gold = Await.value(WAIT, "the Delete volume without a deleter Failed", () -> {
            PersistentVolume v = volume(ns + "-gold");
            return phase(v).equals("Failed") ? v : null;
        });
        assertThat(gold.getStatus().getMessage()).isEqualTo("error getting deleter volume plugin for volume \""
                + ns + "-gold\": no deletable volume plugin matched");
        assertThat(kubectl("get", "pv", ns + "-2g", ns + "-gold").output())
                .containsPattern(ns + "-2g\\s+2Gi\\s+RWO\\s+Retain\\s+Released\\s+" + ns + "/fit")
                .containsPattern(ns + "-gold\\s+8Gi\\s+RWO\\s+Delete\\s+Failed\\s+" + ns + "/gold");
        kubectl("delete", "pv", ns + "-1g", ns + "-2g", ns + "-5g", ns + "-gold");
    }

    @Test
    void localPathClaimsWaitForTheirFirstPodAndAreProvisionedOnItsNode() {
        assertThat(kubectl("get", "storageclass", "local-path").output())
                .containsPattern("local-path\\s+flotilla.dev/local-path\\s+Delete\\s+WaitForFirstConsumer\\s+false");
        apply("claim.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data, namespace: %s}
                spec: {storageClassName: local-path, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """.formatted(ns));
        assertThat(awaitEvent(ns, "data", "WaitForFirstConsumer"))
                .isEqualTo("waiting for first consumer to be created before binding");
        assertThat(phase(claim("data"))).isEqualTo("Pending");

        apply("pod.yaml", pod("writer", "data", null));
        String node = Await.value(WAIT, "writer bound to a node", () -> nodeOf("writer"));
        PersistentVolumeClaim bound = Await.value(WAIT, "claim Bound", () -> {
            PersistentVolumeClaim c = claim("data");
            return phase(c).equals("Bound") ? c : null;
        });
        assertThat(bound.getMetadata().getAnnotations()).containsEntry("volume.kubernetes.io/selected-node", node)
                .containsEntry("volume.kubernetes.io/storage-provisioner", "flotilla.dev/local-path");
        String pvName = "pvc-" + bound.getMetadata().getUid();
        assertThat(bound.getSpec().getVolumeName()).isEqualTo(pvName);
        assertThat(awaitEvent(ns, "data", "ProvisioningSucceeded"))
                .isEqualTo("Successfully provisioned volume " + pvName + " using flotilla.dev/local-path");
        PersistentVolume pv = volume(pvName);
        assertThat(pv.getSpec().getHostPath().getPath())
                .isEqualTo(Path.of("/var/lib/flotilla-node/local-path", pvName).toString());
        assertThat(pv.getSpec().getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
        assertThat(pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0).getMatchExpressions()
                .get(0).getValues()).containsExactly(node);

        String other = node.equals("store-0") ? "store-1" : "store-0";
        apply("pod2.yaml", pod("elsewhere", "data", other));
        assertThat(awaitEvent(ns, "elsewhere", "FailedScheduling")).isEqualTo("0/2 nodes are available: "
                + "1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had volume node affinity conflict. "
                + "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");

        kubectl("-n", ns, "delete", "pod", "writer", "elsewhere", "--grace-period=0", "--force");
        kubectl("-n", ns, "delete", "pvc", "data");
        PersistentVolume deleting = Await.value(WAIT, "the provisioned volume deleted", () -> {
            PersistentVolume v = volume(pvName);
            return v != null && v.getMetadata().getDeletionTimestamp() != null ? v : null;
        });
        // Hollow nodes run no agent, so nothing removes the directory and its finalizer.
        assertThat(deleting.getMetadata().getFinalizers()).containsExactly("local-path.flotilla.dev/cleanup");
        client.persistentVolumes().withName(pvName).edit(v -> {
            v.getMetadata().setFinalizers(java.util.List.of());
            return v;
        });
    }

    @Test
    void theSchedulerExplainsMissingAndUnboundClaimsAndBindsStaticVolumesOfDelayedClasses() {
        apply("missing.yaml", pod("orphan", "nope", null));
        String notHelpful = " preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
        assertThat(awaitEvent(ns, "orphan", "FailedScheduling"))
                .isEqualTo("0/2 nodes are available: persistentvolumeclaim \"nope\" not found." + notHelpful);

        apply("immediate.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: later, namespace: %s}
                spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}
                """.formatted(ns) + "---\n" + pod("waiting", "later", null));
        assertThat(awaitEvent(ns, "waiting", "FailedScheduling"))
                .isEqualTo("0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims." + notHelpful);
        apply("rwx.yaml", """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: %1$s-rwx}
                spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteMany], hostPath: {path: /tmp/%1$s-rwx}}
                """.formatted(ns));
        assertThat(boundVolume("later")).isEqualTo(ns + "-rwx");
        assertThat(Await.value(WAIT, "waiting scheduled once its claim is bound", () -> nodeOf("waiting"))).isNotEmpty();

        apply("delayed.yaml", """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: %1$s-manual}
                provisioner: kubernetes.io/no-provisioner
                volumeBindingMode: WaitForFirstConsumer
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: %1$s-on-store-1}
                spec:
                  capacity: {storage: 1Gi}
                  accessModes: [ReadWriteOnce]
                  storageClassName: %1$s-manual
                  local: {path: /tmp}
                  nodeAffinity:
                    required:
                      nodeSelectorTerms:
                      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [store-1]}]
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: local, namespace: %1$s}
                spec: {storageClassName: %1$s-manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: toobig, namespace: %1$s}
                spec: {storageClassName: %1$s-manual, accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
                """.formatted(ns));
        apply("delayed-pods.yaml", pod("local-user", "local", null) + "---\n" + pod("greedy", "toobig", null));
        assertThat(Await.value(WAIT, "local-user scheduled", () -> nodeOf("local-user"))).isEqualTo("store-1");
        assertThat(boundVolume("local")).isEqualTo(ns + "-on-store-1");
        assertThat(volume(ns + "-on-store-1").getMetadata().getAnnotations())
                .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        assertThat(awaitEvent(ns, "greedy", "FailedScheduling")).isEqualTo("0/2 nodes are available: "
                + "2 node(s) didn't find available persistent volumes to bind." + notHelpful);

        kubectl("-n", ns, "delete", "pod", "--all", "--grace-period=0", "--force");
        kubectl("delete", "pv", ns + "-rwx", ns + "-on-store-1");
    }

    private static String pod(String name, String claim, String nodeName) {
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

    private void apply(String file, String yaml) {
        kubectl("-n", ns, "apply", "-f", cluster.file(ns + "-" + file, yaml).toString());
    }

    private static Command.Result kubectl(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }

    private PersistentVolumeClaim claim(String name) {
        return client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
    }

    private static PersistentVolume volume(String name) {
        return client.persistentVolumes().withName(name).get();
    }

    private static String phase(PersistentVolume volume) {
        return volume == null || volume.getStatus() == null || volume.getStatus().getPhase() == null ? ""
                : volume.getStatus().getPhase();
    }

    private static String phase(PersistentVolumeClaim claim) {
        return claim == null || claim.getStatus() == null || claim.getStatus().getPhase() == null ? ""
                : claim.getStatus().getPhase();
    }

    private String boundVolume(String claimName) {
        return Await.value(WAIT, "claim " + claimName + " Bound", () -> {
            PersistentVolumeClaim c = claim(claimName);
            return c != null && phase(c).equals("Bound") ? c.getSpec().getVolumeName() : null;
        });
    }

    private String nodeOf(String podName) {
        Pod pod = client.pods().inNamespace(ns).withName(podName).get();
        String node = pod == null ? null : pod.getSpec().getNodeName();
        return node == null || node.isEmpty() ? null : node;
    }

    private static String awaitEvent(String namespace, String objectName, String reason) {
        return Await.value(WAIT, reason + " event for " + objectName, () -> client.v1().events().inNamespace(namespace)
                .list().getItems().stream()
                .filter(e -> objectName.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .map(Event::getMessage).reduce((first, last) -> last).orElse(null));
    }
}
