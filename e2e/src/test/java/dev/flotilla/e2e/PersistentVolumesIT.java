package dev.flotilla.e2e;

import static dev.flotilla.e2e.VolumeScenario.phase;
import static dev.flotilla.e2e.VolumeScenario.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.hollownodes.HollowNodeTemplate;
import dev.flotilla.hollownodes.HollowNodes;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
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
    private VolumeScenario scenario;

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
        scenario = new VolumeScenario(cluster, client, ns, WAIT);
    }

    @Test
    void claimsBindToTheSmallestFittingVolumeAndVolumesAreReclaimedByPolicy() {
        scenario.apply("volumes.yaml", """
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
        Await.until(WAIT, "the volumes Available", () -> phase(scenario.volume(ns + "-1g")).equals("Available")
                && phase(scenario.volume(ns + "-gold")).equals("Available"));
        scenario.apply("claims.yaml", """
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

        PersistentVolumeClaim fit = scenario.claim("fit");
        assertThat(fit.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes")
                .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        assertThat(fit.getStatus().getCapacity().get("storage").toString()).isEqualTo("2Gi");
        assertThat(scenario.claim("named").getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes")
                .doesNotContainKey("pv.kubernetes.io/bound-by-controller");
        PersistentVolume twoGig = Await.value(WAIT, "2Gi volume Bound", () -> {
            PersistentVolume v = scenario.volume(ns + "-2g");
            return phase(v).equals("Bound") ? v : null;
        });
        assertThat(twoGig.getSpec().getClaimRef().getUid()).isEqualTo(fit.getMetadata().getUid());
        assertThat(twoGig.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        assertThat(scenario.kubectl("-n", ns, "get", "pvc", "fit").output())
                .containsPattern("fit\\s+Bound\\s+" + ns + "-2g\\s+2Gi\\s+RWO");

        assertThat(scenario.awaitEvent("block", "FailedBinding"))
                .isEqualTo("no persistent volumes available for this claim and no storage class is set");
        assertThat(phase(scenario.claim("block"))).isEqualTo("Pending");

        scenario.kubectl("-n", ns, "delete", "pvc", "fit", "gold");
        Await.until(WAIT, "the Retain volume Released", () -> phase(scenario.volume(ns + "-2g")).equals("Released"));
        assertThat(scenario.volume(ns + "-2g").getSpec().getClaimRef().getName()).as("a released volume keeps its claimRef")
                .isEqualTo("fit");
        PersistentVolume gold = Await.value(WAIT, "the Delete volume without a deleter Failed", () -> {
            PersistentVolume v = scenario.volume(ns + "-gold");
            return phase(v).equals("Failed") ? v : null;
        });
        assertThat(gold.getStatus().getMessage()).isEqualTo("error getting deleter volume plugin for volume \""
                + ns + "-gold\": no deletable volume plugin matched");
        assertThat(scenario.kubectl("get", "pv", ns + "-2g", ns + "-gold").output())
                .containsPattern(ns + "-2g\\s+2Gi\\s+RWO\\s+Retain\\s+Released\\s+" + ns + "/fit")
                .containsPattern(ns + "-gold\\s+8Gi\\s+RWO\\s+Delete\\s+Failed\\s+" + ns + "/gold");
        // Bound volumes are protected (kubernetes.io/pv-protection) until their claims are gone.
        scenario.kubectl("-n", ns, "delete", "pvc", "--all");
        scenario.kubectl("delete", "pv", ns + "-1g", ns + "-2g", ns + "-5g", ns + "-gold");
    }

    @Test
    void localPathClaimsWaitForTheirFirstPodAndAreProvisionedOnItsNode() {
        assertThat(scenario.kubectl("get", "storageclass", "local-path").output())
                .containsPattern("local-path\\s+flotilla.dev/local-path\\s+Delete\\s+WaitForFirstConsumer\\s+false");
        scenario.apply("claim.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data, namespace: %s}
                spec: {storageClassName: local-path, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """.formatted(ns));
        assertThat(scenario.awaitEvent("data", "WaitForFirstConsumer"))
                .isEqualTo("waiting for first consumer to be created before binding");
        assertThat(phase(scenario.claim("data"))).isEqualTo("Pending");

        scenario.apply("pod.yaml", pod("writer", "data", null));
        String node = Await.value(WAIT, "writer bound to a node", () -> scenario.nodeOf("writer"));
        PersistentVolumeClaim bound = Await.value(WAIT, "claim Bound", () -> {
            PersistentVolumeClaim c = scenario.claim("data");
            return phase(c).equals("Bound") ? c : null;
        });
        assertThat(bound.getMetadata().getAnnotations()).containsEntry("volume.kubernetes.io/selected-node", node)
                .containsEntry("volume.kubernetes.io/storage-provisioner", "flotilla.dev/local-path");
        String pvName = "pvc-" + bound.getMetadata().getUid();
        assertThat(bound.getSpec().getVolumeName()).isEqualTo(pvName);
        assertThat(scenario.awaitEvent("data", "ProvisioningSucceeded"))
                .isEqualTo("Successfully provisioned volume " + pvName + " using flotilla.dev/local-path");
        PersistentVolume pv = scenario.volume(pvName);
        assertThat(pv.getSpec().getHostPath().getPath())
                .isEqualTo(Path.of("/var/lib/flotilla-node/local-path", pvName).toString());
        assertThat(pv.getSpec().getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
        assertThat(pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0).getMatchExpressions()
                .get(0).getValues()).containsExactly(node);

        String other = node.equals("store-0") ? "store-1" : "store-0";
        scenario.apply("pod2.yaml", pod("elsewhere", "data", other));
        assertThat(scenario.awaitEvent("elsewhere", "FailedScheduling")).isEqualTo("0/2 nodes are available: "
                + "1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had volume node affinity conflict. "
                + "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");

        scenario.kubectl("-n", ns, "delete", "pod", "writer", "elsewhere", "--grace-period=0", "--force");
        scenario.kubectl("-n", ns, "delete", "pvc", "data");
        PersistentVolume deleting = Await.value(WAIT, "the provisioned volume deleted", () -> {
            PersistentVolume v = scenario.volume(pvName);
            return v != null && v.getMetadata().getDeletionTimestamp() != null ? v : null;
        });
        // Hollow nodes run no agent, so nothing removes the directory and its finalizer.
        assertThat(deleting.getMetadata().getFinalizers()).contains("local-path.flotilla.dev/cleanup");
        client.persistentVolumes().withName(pvName).edit(v -> {
            v.getMetadata().setFinalizers(java.util.List.of());
            return v;
        });
    }

    @Test
    void theSchedulerExplainsMissingAndUnboundClaimsAndBindsStaticVolumesOfDelayedClasses() {
        scenario.apply("missing.yaml", pod("orphan", "nope", null));
        String notHelpful = " preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
        assertThat(scenario.awaitEvent("orphan", "FailedScheduling"))
                .isEqualTo("0/2 nodes are available: persistentvolumeclaim \"nope\" not found." + notHelpful);

        scenario.apply("immediate.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: later, namespace: %s}
                spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}
                """.formatted(ns) + "---\n" + pod("waiting", "later", null));
        assertThat(scenario.awaitEvent("waiting", "FailedScheduling"))
                .isEqualTo("0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims." + notHelpful);
        scenario.apply("rwx.yaml", """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: %1$s-rwx}
                spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteMany], hostPath: {path: /tmp/%1$s-rwx}}
                """.formatted(ns));
        assertThat(boundVolume("later")).isEqualTo(ns + "-rwx");
        assertThat(Await.value(WAIT, "waiting scheduled once its claim is bound", () -> scenario.nodeOf("waiting"))).isNotEmpty();

        scenario.apply("delayed.yaml", """
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
        scenario.apply("delayed-pods.yaml", pod("local-user", "local", null) + "---\n" + pod("greedy", "toobig", null));
        assertThat(Await.value(WAIT, "local-user scheduled", () -> scenario.nodeOf("local-user"))).isEqualTo("store-1");
        assertThat(boundVolume("local")).isEqualTo(ns + "-on-store-1");
        assertThat(scenario.volume(ns + "-on-store-1").getMetadata().getAnnotations())
                .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        assertThat(scenario.awaitEvent("greedy", "FailedScheduling")).isEqualTo("0/2 nodes are available: "
                + "2 node(s) didn't find available persistent volumes to bind." + notHelpful);

        scenario.kubectl("-n", ns, "delete", "pod", "--all", "--grace-period=0", "--force");
        scenario.kubectl("-n", ns, "delete", "pvc", "--all");
        scenario.kubectl("delete", "pv", ns + "-rwx", ns + "-on-store-1");
    }

    private String boundVolume(String claimName) {
        return Await.value(WAIT, "claim " + claimName + " Bound", () -> {
            PersistentVolumeClaim c = scenario.claim(claimName);
            return c != null && phase(c).equals("Bound") ? c.getSpec().getVolumeName() : null;
        });
    }
}
