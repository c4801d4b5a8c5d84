package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.hollownodes.HollowNodeTemplate;
import dev.flotilla.hollownodes.HollowNodes;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The StatefulSet controller against the real API server, scheduler and hollow nodes, with kubectl
 * as the client: ordered start with stable names, hostnames and claims, Parallel against
 * OrderedReady, RollingUpdate with a partition, rollout status/history/undo, OnDelete, claim
 * retention and revision history limits.
 */
class StatefulSetIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static HollowNodes nodes;
    private String ns;

    @BeforeAll
    static void start() throws Exception {
        cluster = ControlPlane.start();
        client = cluster.fabric8Client();
        nodes = new HollowNodes(client, HollowNodeTemplate.of("worker", 3).withLeaseRenewInterval(Duration.ofSeconds(10)))
                .start();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(nodes, client, cluster);
    }

    @BeforeEach
    void namespace(TestInfo test) {
        ns = TestNamespaces.create(client, test, "sts-", 20);
    }

    @Test
    void startsPodsInOrderWithStableIdentityAndClaims() {
        client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withClusterIP("None").addToSelector("app", "web").addNewPort().withPort(80).endPort()
                .endSpec().build()).create();
        try (PodWatch watch = new PodWatch(client, ns, Map.of("app", "web"))) {
            watch.arm(StatefulSetIT::allButTheHighestOrdinalReady);
            client.resource(statefulSet("web", 3, b -> b.editSpec().addToVolumeClaimTemplates(claimTemplate("www"))
                    .endSpec())).create();
            assertThat(cluster.kubectl("-n", ns, "rollout", "status", "statefulset/web", "--timeout=100s")
                    .assertSuccess().output()).contains("roll out complete: 3 new pods have been updated");
            assertThat(watch.violation()).as("a pod started before every lower ordinal was ready").isNull();
            assertThat(watch.seen()).isEqualTo(3);
        }
        StatefulSet set = awaitSet("web", s -> ready(s, 3));
        assertThat(set.getStatus().getReplicas()).isEqualTo(3);
        assertThat(set.getStatus().getCurrentReplicas()).isEqualTo(3);
        assertThat(set.getStatus().getUpdatedReplicas()).isEqualTo(3);
        assertThat(set.getStatus().getAvailableReplicas()).isEqualTo(3);
        assertThat(set.getStatus().getCurrentRevision()).isEqualTo(set.getStatus().getUpdateRevision())
                .startsWith("web-");

        Pod pod = client.pods().inNamespace(ns).withName("web-1").get();
        assertThat(pod.getSpec().getHostname()).isEqualTo("web-1");
        assertThat(pod.getSpec().getSubdomain()).isEqualTo("web");
        assertThat(pod.getMetadata().getLabels()).containsEntry("statefulset.kubernetes.io/pod-name", "web-1")
                .containsEntry("apps.kubernetes.io/pod-index", "1")
                .containsEntry("controller-revision-hash", set.getStatus().getUpdateRevision());
        assertThat(pod.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(set.getMetadata().getUid());
        assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("www");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-1");
        });
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(ns).withName("www-web-1").get();
        assertThat(claim.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(claim.getMetadata().getOwnerReferences()).isEmpty();

        ControllerRevision revision = client.resources(ControllerRevision.class).inNamespace(ns)
                .withName(set.getStatus().getUpdateRevision()).get();
        assertThat(revision.getRevision()).isEqualTo(1L);
        assertThat(revision.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(set.getMetadata().getUid());

        assertThat(cluster.kubectl("-n", ns, "get", "events", "--field-selector",
                "involvedObject.name=web", "-o", "custom-columns=REASON:.reason,MESSAGE:.message")
                .assertSuccess().output()).contains("SuccessfulCreate")
                .contains("create Pod web-0 in StatefulSet web successful")
                .contains("create Claim www-web-2 Pod web-2 in StatefulSet web success");

        // Scale down: highest ordinals go, their claims stay (whenScaled: Retain).
        cluster.kubectl("-n", ns, "scale", "statefulset/web", "--replicas=1").assertSuccess();
        awaitSet("web", s -> ready(s, 1) && s.getStatus().getReplicas() == 1);
        Await.until(WAIT, "web-1 and web-2 gone", () -> podNames("app", "web").equals(List.of("web-0")));
        assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("www-web-2").get()).isNotNull();

        // Deleting a pod brings it back under the same name and claim.
        String uid = client.pods().inNamespace(ns).withName("web-0").get().getMetadata().getUid();
        client.pods().inNamespace(ns).withName("web-0").delete();
        Await.until(WAIT, "web-0 replaced", () -> {
            Pod again = client.pods().inNamespace(ns).withName("web-0").get();
            return again != null && !again.getMetadata().getUid().equals(uid) && PodWatch.ready(again);
        });
    }

    @Test
    void orderedReadyWaitsForEachPodWhileParallelStartsAllAtOnce() {
        UnaryOperator<StatefulSetBuilder> unschedulable = b -> b.editSpec().editTemplate().editSpec()
                .addToNodeSelector("disk", "none").endSpec().endTemplate().endSpec();
        client.resource(statefulSet("ordered", 3, unschedulable)).create();
        client.resource(statefulSet("parallel", 3, b -> unschedulable.apply(b).editSpec()
                .withPodManagementPolicy("Parallel").endSpec())).create();
        awaitSet("parallel", s -> s.getStatus() != null && s.getStatus().getReplicas() == 3);
        awaitSet("ordered", s -> s.getStatus() != null && s.getStatus().getReplicas() == 1);
        assertThat(podNames("app", "parallel")).containsExactly("parallel-0", "parallel-1", "parallel-2");
        assertThat(podNames("app", "ordered")).containsExactly("ordered-0");
        StatefulSet ordered = client.apps().statefulSets().inNamespace(ns).withName("ordered").get();
        assertThat(ordered.getStatus().getReadyReplicas()).isZero();

        // Parallel scale-down removes every condemned pod at once, even unready ones.
        cluster.kubectl("-n", ns, "scale", "statefulset/parallel", "--replicas=0").assertSuccess();
        Await.until(WAIT, "parallel pods gone", () -> podNames("app", "parallel").isEmpty());
    }

    @Test
    void rollingUpdateHonoursThePartitionAndRollsBackWithKubectl() {
        client.resource(statefulSet("db", 3, UnaryOperator.identity())).create();
        cluster.kubectl("-n", ns, "rollout", "status", "statefulset/db", "--timeout=100s").assertSuccess();
        String first = awaitSet("db", s -> ready(s, 3)).getStatus().getUpdateRevision();

        cluster.kubectl("-n", ns, "patch", "statefulset/db", "--type=merge", "-p",
                "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":2}}}}").assertSuccess();
        cluster.kubectl("-n", ns, "set", "image", "statefulset/db", "app=registry.local/app:2").assertSuccess();
        assertThat(cluster.kubectl("-n", ns, "rollout", "status", "statefulset/db", "--timeout=100s").assertSuccess()
                .output()).contains("partitioned roll out complete: 1 new pods have been updated");
        StatefulSet partitioned = awaitSet("db", s -> ready(s, 3) && s.getStatus().getUpdatedReplicas() == 1);
        String second = partitioned.getStatus().getUpdateRevision();
        assertThat(second).isNotEqualTo(first);
        assertThat(partitioned.getStatus().getCurrentRevision()).isEqualTo(first);
        assertThat(partitioned.getStatus().getCurrentReplicas()).isEqualTo(2);
        assertThat(image("db-2")).isEqualTo("registry.local/app:2");
        assertThat(image("db-0")).isEqualTo("registry.local/app:1");
        assertThat(image("db-1")).isEqualTo("registry.local/app:1");

        cluster.kubectl("-n", ns, "patch", "statefulset/db", "--type=merge", "-p",
                "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":0}}}}").assertSuccess();
        StatefulSet rolled = awaitSet("db", s -> ready(s, 3) && s.getStatus().getUpdatedReplicas() == 3
                && second.equals(s.getStatus().getCurrentRevision()));
        assertThat(rolled.getStatus().getCurrentReplicas()).isEqualTo(3);
        assertThat(List.of(image("db-0"), image("db-1"), image("db-2"))).containsOnly("registry.local/app:2");

        String history = cluster.kubectl("-n", ns, "rollout", "history", "statefulset/db").assertSuccess().output();
        assertThat(history).contains("REVISION").containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");
        assertThat(cluster.kubectl("-n", ns, "rollout", "undo", "statefulset/db").assertSuccess().output())
                .contains("statefulset.apps/db rolled back");
        cluster.kubectl("-n", ns, "rollout", "status", "statefulset/db", "--timeout=100s").assertSuccess();
        StatefulSet undone = awaitSet("db", s -> ready(s, 3) && first.equals(s.getStatus().getCurrentRevision())
                && s.getStatus().getUpdatedReplicas() == 3);
        assertThat(undone.getStatus().getUpdateRevision()).isEqualTo(first);
        Await.until(WAIT, "every pod back at app:1", () -> List.of(image("db-0"), image("db-1"), image("db-2"))
                .stream().allMatch("registry.local/app:1"::equals));
        // The old revision was renumbered rather than copied.
        List<ControllerRevision> revisions = revisionsOf("db");
        assertThat(revisions).extracting(r -> r.getMetadata().getName()).containsExactly(second, first);
        assertThat(revisions).extracting(ControllerRevision::getRevision).containsExactly(2L, 3L);
    }

    @Test
    void onDeleteReplacesOnlyDeletedPodsAndHistoryIsLimited() {
        client.resource(statefulSet("manual", 2, b -> b.editSpec().withRevisionHistoryLimit(0)
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy().endSpec())).create();
        awaitSet("manual", s -> ready(s, 2));
        cluster.kubectl("-n", ns, "set", "image", "statefulset/manual", "app=registry.local/app:2").assertSuccess();
        StatefulSet pending = awaitSet("manual", s -> s.getStatus() != null
                && !s.getStatus().getUpdateRevision().equals(s.getStatus().getCurrentRevision())
                && s.getMetadata().getGeneration().equals(s.getStatus().getObservedGeneration()));
        assertThat(pending.getStatus().getUpdatedReplicas()).isZero();
        assertThat(image("manual-1")).isEqualTo("registry.local/app:1");

        client.pods().inNamespace(ns).withName("manual-1").delete();
        Await.until(WAIT, "manual-1 recreated at the update revision",
                () -> "registry.local/app:2".equals(image("manual-1")));
        awaitSet("manual", s -> ready(s, 2) && s.getStatus().getUpdatedReplicas() == 1
                && s.getStatus().getCurrentReplicas() == 1);
        assertThat(image("manual-0")).isEqualTo("registry.local/app:1");

        // Both revisions are used by a pod, so a limit of 0 keeps them; a third, unused by any, goes.
        cluster.kubectl("-n", ns, "set", "image", "statefulset/manual", "app=registry.local/app:3").assertSuccess();
        Await.until(WAIT, "the app:2 revision is kept while manual-1 uses it; a third appears",
                () -> revisionsOf("manual").size() == 3);
        client.pods().inNamespace(ns).withName("manual-1").delete();
        Await.until(WAIT, "the app:2 revision deleted once no pod uses it", () -> revisionsOf("manual").size() == 2
                && "registry.local/app:3".equals(image("manual-1")));
    }

    @Test
    void claimRetentionPolicyDeletesClaimsOnScaleDownAndDeletion() {
        client.resource(statefulSet("cache", 2, b -> b.editSpec().addToVolumeClaimTemplates(claimTemplate("data"))
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenScaled("Delete").withWhenDeleted("Delete")
                .endPersistentVolumeClaimRetentionPolicy().endSpec())).create();
        StatefulSet set = awaitSet("cache", s -> ready(s, 2));
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(ns).withName("data-cache-0").get();
        assertThat(claim.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getUid()).isEqualTo(set.getMetadata().getUid()));

        cluster.kubectl("-n", ns, "scale", "statefulset/cache", "--replicas=1").assertSuccess();
        Await.until(WAIT, "data-cache-1 deleted with its pod",
                () -> client.persistentVolumeClaims().inNamespace(ns).withName("data-cache-1").get() == null);
        assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("data-cache-0").get()).isNotNull();

        cluster.kubectl("-n", ns, "delete", "statefulset/cache").assertSuccess();
        Await.until(WAIT, "data-cache-0 deleted with the set",
                () -> client.persistentVolumeClaims().inNamespace(ns).withName("data-cache-0").get() == null);
    }

    // --- helpers ---

    /** OrderedReady's promise: whenever a pod exists, every lower ordinal exists and is ready. */
    private static boolean allButTheHighestOrdinalReady(List<Pod> active) {
        List<Pod> sorted = active.stream().sorted(Comparator.comparingInt(StatefulSetIT::ordinal)).toList();
        for (int i = 0; i < sorted.size(); i++) {
            if (ordinal(sorted.get(i)) != i || i < sorted.size() - 1 && !PodWatch.ready(sorted.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static int ordinal(Pod pod) {
        String name = pod.getMetadata().getName();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    private StatefulSet statefulSet(String name, int replicas, UnaryOperator<StatefulSetBuilder> customize) {
        return customize.apply(new StatefulSetBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.local/app:1").endContainer()
                .endSpec().endTemplate().endSpec()).build();
    }

    private static PersistentVolumeClaim claimTemplate(String name) {
        // local-path: the scheduler holds back pods whose claims cannot be bound, as upstream's does.
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withStorageClassName("local-path").withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().build();
    }

    private static boolean ready(StatefulSet s, int replicas) {
        return s.getStatus() != null && s.getStatus().getReadyReplicas() != null
                && s.getStatus().getReadyReplicas() == replicas
                && s.getMetadata().getGeneration().equals(s.getStatus().getObservedGeneration());
    }

    private StatefulSet awaitSet(String name, Predicate<StatefulSet> condition) {
        StatefulSet[] found = new StatefulSet[1];
        Await.until(WAIT, "statefulset " + name, () -> {
            found[0] = client.apps().statefulSets().inNamespace(ns).withName(name).get();
            return found[0] != null && condition.test(found[0]);
        });
        return found[0];
    }

    private List<String> podNames(String label, String value) {
        return client.pods().inNamespace(ns).withLabel(label, value).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    private String image(String pod) {
        Pod found = client.pods().inNamespace(ns).withName(pod).get();
        return found == null || found.getMetadata().getDeletionTimestamp() != null ? null
                : found.getSpec().getContainers().get(0).getImage();
    }

    private List<ControllerRevision> revisionsOf(String set) {
        return client.resources(ControllerRevision.class).inNamespace(ns).withLabel("app", set).list().getItems()
                .stream().sorted(Comparator.comparingLong(ControllerRevision::getRevision)).toList();
    }
}
