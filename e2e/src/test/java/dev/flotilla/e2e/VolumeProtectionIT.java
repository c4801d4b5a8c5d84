package dev.flotilla.e2e;

import static dev.flotilla.e2e.VolumeScenario.phase;
import static dev.flotilla.e2e.VolumeScenario.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.hollownodes.HollowNodeTemplate;
import dev.flotilla.hollownodes.HollowNodes;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Storage object in-use protection, generic ephemeral volumes and the scheduler's volume filters end
 * to end, on the real API server with the in-server controllers and scheduler and two hollow nodes in
 * two zones, through kubectl: the pvc-/pv-protection finalizers on create; a claim a pod uses and a
 * Bound volume stay Terminating until the pod is gone and the volume released; a pod's ephemeral
 * volume claim is created from its template, owned by the pod and deleted with it; a claim of that name
 * the pod does not own blocks it; invalid ephemeral volumes and claims are 422s; a ReadWriteOncePod
 * claim admits one pod; a volume's zone must be the node's.
 */
class VolumeProtectionIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RWOP_REASON =
            "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static HollowNodes east;
    private static HollowNodes west;
    private String ns;
    private VolumeScenario scenario;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        client = cluster.fabric8Client();
        east = new HollowNodes(client, HollowNodeTemplate.of("east", 1).withLabels(Map.of(
                "topology.kubernetes.io/zone", "east-1", "topology.kubernetes.io/region", "east"))).start();
        west = new HollowNodes(client, HollowNodeTemplate.of("west", 1).withLabels(Map.of(
                "topology.kubernetes.io/zone", "west-1", "topology.kubernetes.io/region", "west"))).start();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(east, west, client, cluster);
    }

    @BeforeEach
    void namespace(TestInfo test) {
        ns = TestNamespaces.create(client, test, "vp-", 12);
        scenario = new VolumeScenario(cluster, client, ns, WAIT);
    }

    @Test
    void aUsedClaimAndItsBoundVolumeStayTerminatingUntilThePodIsGone() {
        scenario.apply("storage.yaml", volumeYaml("used", "ReadWriteOnce", Map.of()) + "---\n" + volumeYaml("spare", "ReadWriteOnce", Map.of())
                + "---\n" + claimYaml("used", "ReadWriteOnce") + "---\n" + unboundClaim("idle"));
        assertThat(scenario.claim("used").getMetadata().getFinalizers()).containsExactly("kubernetes.io/pvc-protection");
        assertThat(scenario.volume(ns + "-used").getMetadata().getFinalizers()).containsExactly("kubernetes.io/pv-protection");
        scenario.apply("pod.yaml", pod("user", "used", null));
        scenario.awaitNode("user");
        Await.until(WAIT, "the used claim Bound", () -> phase(scenario.claim("used")).equals("Bound"));

        scenario.kubectl("-n", ns, "delete", "pvc", "used", "idle", "--wait=false");
        scenario.kubectl("delete", "pv", ns + "-used", ns + "-spare", "--wait=false");
        // The unused claim and the unbound volume go as soon as the controllers have seen the deletions...
        Await.until(WAIT, "the unused claim gone", () -> scenario.claim("idle") == null);
        Await.until(WAIT, "the unbound volume gone", () -> scenario.volume(ns + "-spare") == null);
        // ...while the used ones stay, Terminating, with their finalizers.
        PersistentVolumeClaim used = scenario.claim("used");
        assertThat(used.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(used.getMetadata().getFinalizers()).containsExactly("kubernetes.io/pvc-protection");
        assertThat(scenario.kubectl("-n", ns, "get", "pvc", "used").output()).containsPattern("used\\s+Terminating\\s+" + ns + "-used");
        assertThat(scenario.volume(ns + "-used").getMetadata().getFinalizers()).containsExactly("kubernetes.io/pv-protection");
        assertThat(scenario.kubectl("get", "pv", ns + "-used").output()).contains("Terminating");

        scenario.kubectl("-n", ns, "delete", "pod", "user");
        Await.until(WAIT, "the claim gone with its pod", () -> scenario.claim("used") == null);
        Await.until(WAIT, "the released volume gone", () -> scenario.volume(ns + "-used") == null);
    }

    @Test
    void anEphemeralVolumesClaimIsMadeFromItsTemplateOwnedByThePodAndDeletedWithIt() {
        scenario.apply("volume.yaml", volumeYaml("eph", "ReadWriteOnce", Map.of("for", ns + "-eph")));
        scenario.apply("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: eph}
                spec:
                  containers: [{name: main, image: busybox, volumeMounts: [{name: scratch, mountPath: /scratch}]}]
                  volumes:
                  - name: scratch
                    ephemeral:
                      volumeClaimTemplate:
                        metadata: {labels: {app: eph}, annotations: {note: kept}}
                        spec:
                          accessModes: [ReadWriteOnce]
                          storageClassName: ""
                          selector: {matchLabels: {for: %s-eph}}
                          resources: {requests: {storage: 1Gi}}
                """.formatted(ns));
        PersistentVolumeClaim made = Await.value(WAIT, "the ephemeral claim", () -> scenario.claim("eph-scratch"));
        Pod pod = client.pods().inNamespace(ns).withName("eph").get();
        assertThat(made.getMetadata().getLabels()).containsEntry("app", "eph");
        assertThat(made.getMetadata().getAnnotations()).containsEntry("note", "kept");
        assertThat(made.getMetadata().getFinalizers()).contains("kubernetes.io/pvc-protection");
        OwnerReference owner = made.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getKind()).isEqualTo("Pod");
        assertThat(owner.getName()).isEqualTo("eph");
        assertThat(owner.getUid()).isEqualTo(pod.getMetadata().getUid());
        assertThat(owner.getController()).isTrue();
        assertThat(owner.getBlockOwnerDeletion()).isTrue();
        assertThat(made.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        // The scheduler treats the volume as its claim: bound to the static volume, then the pod placed.
        assertThat(scenario.awaitNode("eph")).isNotEmpty();
        assertThat(scenario.claim("eph-scratch").getSpec().getVolumeName()).isEqualTo(ns + "-eph");

        scenario.kubectl("-n", ns, "delete", "pod", "eph");
        Await.until(WAIT, "the ephemeral claim deleted with its pod", () -> scenario.claim("eph-scratch") == null);
        Await.until(WAIT, "its Retain volume Released", () -> phase(scenario.volume(ns + "-eph")).equals("Released"));
        scenario.kubectl("delete", "pv", ns + "-eph");
    }

    @Test
    void aClaimOfTheEphemeralNameThePodDoesNotOwnKeepsThePodPending() {
        scenario.apply("claim.yaml", unboundClaim("clash-data"));
        scenario.apply("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: clash}
                spec:
                  containers: [{name: main, image: busybox}]
                  volumes:
                  - name: data
                    ephemeral:
                      volumeClaimTemplate:
                        spec: {accessModes: [ReadWriteOnce], storageClassName: "", resources: {requests: {storage: 1Gi}}}
                """);
        String notOwner = "PVC " + ns + "/clash-data was not created for pod " + ns + "/clash (pod is not owner)";
        assertThat(scenario.awaitEvent("clash", "FailedBinding")).isEqualTo("ephemeral volume data: " + notOwner);
        assertThat(scenario.awaitEvent("clash", "FailedScheduling")).startsWith("0/2 nodes are available: " + notOwner + ".");
        Pod pod = client.pods().inNamespace(ns).withName("clash").get();
        assertThat(pod.getSpec().getNodeName()).isNull();
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(scenario.claim("clash-data").getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void invalidEphemeralVolumesAndClaimsAreRefusedWith422() {
        Command.Result named = cluster.kubectl("-n", ns, "apply", "-f", cluster.file(ns + "-named.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: named}
                spec:
                  containers: [{name: main, image: busybox}]
                  volumes:
                  - name: data
                    ephemeral:
                      volumeClaimTemplate:
                        metadata: {name: fixed}
                        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """).toString());
        assertThat(named.exitCode()).isNotZero();
        assertThat(named.output()).contains("The Pod \"named\" is invalid: spec.volumes[0].ephemeral.volumeClaimTemplate"
                + ".metadata.name: Forbidden: cannot be set for an ephemeral volume");

        Pod withoutTemplate = new PodBuilder().withNewMetadata().withName("bare").endMetadata().withNewSpec()
                .addNewContainer().withName("main").withImage("busybox").endContainer()
                .addNewVolume().withName("data").withNewEphemeral().endEphemeral().endVolume().endSpec().build();
        assertThatThrownBy(() -> client.pods().inNamespace(ns).resource(withoutTemplate).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(cause -> {
                        assertThat(cause.getField()).isEqualTo("spec.volumes[0].ephemeral.volumeClaimTemplate");
                        assertThat(cause.getReason()).isEqualTo("FieldValueRequired");
                    });
                });

        Command.Result badClaim = cluster.kubectl("-n", ns, "apply", "-f", cluster.file(ns + "-bad-claim.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: bad}
                spec: {accessModes: [ReadWriteOncePod, ReadWriteOnce]}
                """).toString());
        assertThat(badClaim.exitCode()).isNotZero();
        // kubectl lists several causes one per line.
        assertThat(badClaim.output()).contains("The PersistentVolumeClaim \"bad\" is invalid: \n"
                + "* spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes\n"
                + "* spec.resources[storage]: Required value\n");
        assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    void aReadWriteOncePodClaimAdmitsOnePodAtATime() {
        scenario.apply("storage.yaml", volumeYaml("solo", "ReadWriteOncePod", Map.of()) + "---\n" + claimYaml("solo", "ReadWriteOncePod"));
        scenario.apply("first.yaml", pod("first", "solo", null));
        scenario.awaitNode("first");
        scenario.apply("second.yaml", pod("second", "solo", null));
        String message = scenario.awaitEvent("second", "FailedScheduling");
        assertThat(message).startsWith("0/2 nodes are available: 2 " + RWOP_REASON + ".");
        PodCondition scheduled = Await.value(WAIT, "second's PodScheduled condition", () -> condition("second", "PodScheduled"));
        assertThat(scheduled.getStatus()).isEqualTo("False");
        assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
        assertThat(scheduled.getMessage()).contains(RWOP_REASON);

        scenario.kubectl("-n", ns, "delete", "pod", "first");
        assertThat(scenario.awaitNode("second")).as("scheduled once the claim is free").isNotEmpty();
        scenario.kubectl("-n", ns, "delete", "pod", "second");
        scenario.kubectl("-n", ns, "delete", "pvc", "solo");
        scenario.kubectl("delete", "pv", ns + "-solo");
    }

    @Test
    void aBoundVolumesZoneMustBeTheNodes() {
        scenario.apply("storage.yaml", volumeYaml("west", "ReadWriteOnce", Map.of("topology.kubernetes.io/zone", "west-1"))
                + "---\n" + claimYaml("west", "ReadWriteOnce")
                + "---\n" + volumeYaml("north", "ReadWriteOnce", Map.of("topology.kubernetes.io/zone", "north-1"))
                + "---\n" + claimYaml("north", "ReadWriteOnce"));
        Await.until(WAIT, "both claims Bound", () -> phase(scenario.claim("west")).equals("Bound") && phase(scenario.claim("north")).equals("Bound"));
        scenario.apply("pods.yaml", pod("in-west", "west", null) + "---\n" + pod("nowhere", "north", null)
                + "---\n" + pod("pinned-east", "west", nodeIn("east-1")));
        assertThat(scenario.awaitNode("in-west")).isEqualTo(nodeIn("west-1"));
        assertThat(scenario.awaitEvent("nowhere", "FailedScheduling"))
                .startsWith("0/2 nodes are available: 2 node(s) had no available volume zone.");
        assertThat(scenario.awaitEvent("pinned-east", "FailedScheduling")).startsWith("0/2 nodes are available: "
                + "1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had no available volume zone.");

        scenario.kubectl("-n", ns, "delete", "pod", "--all");
        scenario.kubectl("-n", ns, "delete", "pvc", "--all");
        scenario.kubectl("delete", "pv", ns + "-west", ns + "-north");
    }

    private String volumeYaml(String name, String mode, Map<String, String> labels) {
        StringBuilder labelText = new StringBuilder();
        labels.forEach((key, value) -> labelText.append(labelText.isEmpty() ? "" : ", ").append(key).append(": ").append(value));
        return """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: %1$s-%2$s, labels: {%4$s}}
                spec: {capacity: {storage: 1Gi}, accessModes: [%3$s], hostPath: {path: /tmp/%1$s-%2$s}}
                """.formatted(ns, name, mode, labelText);
    }

    /** A claim pre-bound to the volume of the same name. */
    private String claimYaml(String name, String mode) {
        return """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: %2$s}
                spec: {accessModes: [%3$s], storageClassName: "", volumeName: %1$s-%2$s, resources: {requests: {storage: 1Gi}}}
                """.formatted(ns, name, mode);
    }

    /** A claim no volume here can satisfy (ReadWriteMany): it stays Pending and unused. */
    private static String unboundClaim(String name) {
        return """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: %s}
                spec: {accessModes: [ReadWriteMany], storageClassName: "", resources: {requests: {storage: 1Gi}}}
                """.formatted(name);
    }

    private static String nodeIn(String zone) {
        return client.nodes().withLabel("topology.kubernetes.io/zone", zone).list().getItems().get(0)
                .getMetadata().getName();
    }

    private PodCondition condition(String podName, String type) {
        Pod pod = client.pods().inNamespace(ns).withName(podName).get();
        if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
