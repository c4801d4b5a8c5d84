package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controllers.ControllerManager;
import dev.flotilla.controllers.ControllerManagerSettings;
import dev.flotilla.hollownodes.HollowNodeTemplate;
import dev.flotilla.hollownodes.HollowNodes;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The ReplicaSet, ReplicationController and Deployment controllers against the real API server,
 * with hollow nodes running the pods: exact counts under bursts (watched continuously), adoption and
 * release, ReplicaFailure, rolling updates that never drop below the desired ready replicas, kubectl
 * rollout status|history|undo|pause|resume|restart, Recreate, the progress deadline, cascading
 * deletion and a controller-manager restart mid-rollout.
 */
class WorkloadControllersIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static HollowNodes nodes;
    private static ControllerManager replacement;
    private String ns;

    @BeforeAll
    static void start() throws Exception {
        cluster = ControlPlane.start("--flotilla.controllers.lease-duration=4s",
                "--flotilla.controllers.renew-deadline=3s", "--flotilla.controllers.retry-period=500ms");
        client = cluster.fabric8Client();
        nodes = new HollowNodes(client, HollowNodeTemplate.of("worker", 3).withLeaseRenewInterval(Duration.ofSeconds(10)))
                .start();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(replacement, nodes, client, cluster);
    }

    @BeforeEach
    void namespace(TestInfo test) {
        ns = TestNamespaces.create(client, test, "wl-", 20);
    }

    // --- ReplicaSets and ReplicationControllers ---

    @Test
    void aBurstOfScalingReachesTheExactCountAndNeverOvershoots() {
        try (PodWatch watch = new PodWatch(client, ns, Map.of("app", "burst"))) {
            client.resource(replicaSet("burst", 0)).create();
            scaleReplicaSet("burst", 20);
            Await.until(WAIT, "some pods created", () -> watch.seen() >= 5);
            scaleReplicaSet("burst", 3);
            ReplicaSet settled = awaitReplicaSet("burst", rs -> rs.getStatus() != null
                    && Integer.valueOf(3).equals(rs.getStatus().getReplicas())
                    && Integer.valueOf(3).equals(rs.getStatus().getReadyReplicas())
                    && rs.getMetadata().getGeneration().equals(rs.getStatus().getObservedGeneration()));
            Await.until(WAIT, "3 active pods", () -> watch.active().size() == 3);
            assertThat(watch.maxActive()).as("never more than the 20 asked for; at the most: %s", watch.atMaxActive())
                    .isLessThanOrEqualTo(20);
            assertThat(watch.seen()).as("pods ever created").isLessThanOrEqualTo(20);
            assertThat(settled.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
            assertThat(settled.getStatus().getAvailableReplicas()).isEqualTo(3);

            Pod pod = watch.active().get(0);
            assertThat(pod.getMetadata().getName()).matches("burst-[bcdfghjklmnpqrstvwxz2456789]{5}");
            assertThat(pod.getMetadata().getLabels()).containsEntry("app", "burst");
            OwnerReference owner = pod.getMetadata().getOwnerReferences().get(0);
            assertThat(owner.getKind()).isEqualTo("ReplicaSet");
            assertThat(owner.getName()).isEqualTo("burst");
            assertThat(owner.getUid()).isEqualTo(settled.getMetadata().getUid());
            assertThat(owner.getController()).isTrue();
            assertThat(owner.getBlockOwnerDeletion()).isTrue();

            scaleReplicaSet("burst", 20);
            awaitReplicaSet("burst", rs -> rs.getStatus() != null && Integer.valueOf(20).equals(rs.getStatus().getReadyReplicas()));
            assertThat(watch.active()).hasSize(20);
            assertThat(watch.maxActive()).isLessThanOrEqualTo(20);
        }
        // 37 pods created and 17 deleted: a few events, the rest counted on one combined event or
        // dropped by the spam filter, as upstream's event correlator does.
        Await.until(WAIT, "the ReplicaSet's events", () -> cluster.kubectl("-n", ns, "describe", "replicaset", "burst").output()
                .matches("(?s).*SuccessfulCreate\\s+.*replicaset-controller\\s+Created pod: burst-.*"
                        + "\\(combined from similar events\\): Created pod: burst-.*"));
        assertThat(cluster.kubectl("-n", ns, "describe", "replicaset", "burst").output())
                .containsPattern("SuccessfulDelete\\s+.*replicaset-controller\\s+Deleted pod: burst-");
        int written = client.v1().events().inNamespace(ns).withField("involvedObject.name", "burst").list().getItems().size();
        assertThat(written).as("event objects about the ReplicaSet").isBetween(3, 25);
    }

    @Test
    void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("orphan")
                .addToLabels("app", "adopt").endMetadata().withNewSpec().addNewContainer().withName("app")
                .withImage("registry.local/app:1").endContainer().endSpec().build()).create();
        ReplicaSet rs = client.resource(replicaSet("adopt", 2)).create();
        Await.until(WAIT, "orphan adopted", () -> {
            Pod orphan = client.pods().inNamespace(ns).withName("orphan").get();
            return !orphan.getMetadata().getOwnerReferences().isEmpty()
                    && orphan.getMetadata().getOwnerReferences().get(0).getUid().equals(rs.getMetadata().getUid());
        });
        awaitReplicaSet("adopt", r -> r.getStatus() != null && Integer.valueOf(2).equals(r.getStatus().getReadyReplicas()));
        assertThat(activePods("app", "adopt")).hasSize(2).extracting(p -> p.getMetadata().getName()).contains("orphan");

        cluster.kubectl("-n", ns, "label", "pod", "orphan", "app=elsewhere", "--overwrite").assertSuccess();
        Await.until(WAIT, "released", () -> client.pods().inNamespace(ns).withName("orphan").get().getMetadata()
                .getOwnerReferences().isEmpty());
        Await.until(WAIT, "replaced by a new pod", () -> activePods("app", "adopt").size() == 2
                && activePods("app", "adopt").stream().noneMatch(p -> p.getMetadata().getName().equals("orphan")));
    }

    @Test
    void replicationControllersKeepTheirReplicasAndReportStatus() {
        client.resource(new ReplicationControllerBuilder().withNewMetadata().withName("legacy").withNamespace(ns)
                .endMetadata().withNewSpec().withReplicas(4).withSelector(Map.of("app", "legacy"))
                .withTemplate(template("legacy", "registry.local/app:1")).endSpec().build()).create();
        Await.until(WAIT, "4 ready", () -> {
            ReplicationController rc = client.replicationControllers().inNamespace(ns).withName("legacy").get();
            return rc.getStatus() != null && Integer.valueOf(4).equals(rc.getStatus().getReadyReplicas())
                    && Integer.valueOf(4).equals(rc.getStatus().getAvailableReplicas());
        });
        Pod victim = activePods("app", "legacy").get(0);
        client.pods().inNamespace(ns).withName(victim.getMetadata().getName()).delete();
        Await.until(WAIT, "replaced", () -> activePods("app", "legacy").size() == 4
                && activePods("app", "legacy").stream().noneMatch(p -> p.getMetadata().getUid().equals(victim.getMetadata().getUid())));
        cluster.kubectl("-n", ns, "scale", "rc", "legacy", "--replicas=1").assertSuccess();
        Await.until(WAIT, "scaled to 1", () -> activePods("app", "legacy").size() == 1);
        assertThat(activePods("app", "legacy").get(0).getMetadata().getOwnerReferences().get(0).getKind())
                .isEqualTo("ReplicationController");
    }

    @Test
    void failedCreationsAreReportedAsReplicaFailure() {
        ReplicaSet bad = replicaSet("refused", 3);
        bad.getSpec().getTemplate().getMetadata().setAnnotations(Map.of("not a valid key!", "x"));
        client.resource(bad).create();
        ReplicaSetCondition failure = Await.value(WAIT, "ReplicaFailure", () -> {
            ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).withName("refused").get();
            return rs.getStatus() == null ? null : rs.getStatus().getConditions().stream()
                    .filter(c -> "ReplicaFailure".equals(c.getType())).findFirst().orElse(null);
        });
        assertThat(failure.getStatus()).isEqualTo("True");
        assertThat(failure.getReason()).isEqualTo("FailedCreate");
        assertThat(failure.getMessage()).contains("is invalid").contains("metadata.annotations");
        assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();

        cluster.kubectl("-n", ns, "patch", "rs", "refused", "--type=merge",
                "-p", "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":null}}}}").assertSuccess();
        awaitReplicaSet("refused", rs -> rs.getStatus() != null && Integer.valueOf(3).equals(rs.getStatus().getReadyReplicas())
                && rs.getStatus().getConditions().stream().noneMatch(c -> "ReplicaFailure".equals(c.getType())));
    }

    @Test
    void podsCountAsAvailableOnlyAfterMinReadySeconds() {
        ReplicaSet slow = replicaSet("slow", 2);
        slow.getSpec().setMinReadySeconds(4);
        client.resource(slow).create();
        ReplicaSet readyNotAvailable = awaitReplicaSet("slow", rs -> rs.getStatus() != null
                && Integer.valueOf(2).equals(rs.getStatus().getReadyReplicas()));
        assertThat(readyNotAvailable.getStatus().getAvailableReplicas()).isIn(null, 0);
        awaitReplicaSet("slow", rs -> Integer.valueOf(2).equals(rs.getStatus().getAvailableReplicas()));
    }

    // --- Deployments ---

    @Test
    void rollingUpdateWithoutUnavailabilityThenHistoryAndUndo() {
        client.resource(deployment("web", 3, "registry.local/app:1", d -> d.editSpec().withNewStrategy()
                .withType("RollingUpdate").withNewRollingUpdate().withMaxUnavailable(new IntOrString(0))
                .withMaxSurge(new IntOrString(1)).endRollingUpdate().endStrategy().endSpec())).create();
        assertThat(cluster.kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=90s").assertSuccess().output())
                .contains("deployment \"web\" successfully rolled out");
        Deployment first = client.apps().deployments().inNamespace(ns).withName("web").get();
        assertThat(first.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
        assertThat(condition(first, "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
        assertThat(condition(first, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        ReplicaSet firstRs = onlyReplicaSet();
        String hash = firstRs.getMetadata().getLabels().get("pod-template-hash");
        assertThat(firstRs.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(condition(first, "Progressing").getMessage())
                .isEqualTo("ReplicaSet \"web-" + hash + "\" has successfully progressed.");

        try (PodWatch watch = new PodWatch(client, ns, Map.of("app", "web"))) {
            Await.until(WAIT, "watch synced", () -> watch.active().size() == 3);
            watch.arm(pods -> true);
            cluster.kubectl("-n", ns, "set", "image", "deployment/web", "app=registry.local/app:2").assertSuccess();
            assertThat(cluster.kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=90s").assertSuccess()
                    .output()).contains("deployment \"web\" successfully rolled out");
            assertThat(watch.minReady()).as("ready pods never below the 3 desired").isGreaterThanOrEqualTo(3);
            assertThat(watch.maxActive()).as("surge of 1; at the most: %s", watch.atMaxActive()).isLessThanOrEqualTo(4);
        }
        assertThat(images("web")).containsOnly("registry.local/app:2");
        Deployment second = client.apps().deployments().inNamespace(ns).withName("web").get();
        assertThat(second.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
        assertThat(second.getStatus().getUpdatedReplicas()).isEqualTo(3);
        assertThat(second.getStatus().getUnavailableReplicas()).isIn(null, 0);

        String history = cluster.kubectl("-n", ns, "rollout", "history", "deployment/web").assertSuccess().output();
        assertThat(history).contains("REVISION  CHANGE-CAUSE").containsPattern("(?m)^1\\s+<none>").containsPattern("(?m)^2\\s+<none>");
        String newHash = client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
                .filter(rs -> !rs.getMetadata().getName().equals(firstRs.getMetadata().getName())).findFirst().orElseThrow()
                .getMetadata().getLabels().get("pod-template-hash");
        Await.until(WAIT, "the rollout's events", () -> {
            String described = cluster.kubectl("-n", ns, "describe", "deployment", "web").output();
            return described.matches("(?s).*ScalingReplicaSet\\s+\\S+\\s+deployment-controller\\s+Scaled up replica set web-"
                    + hash + " to 3\n.*") && described.contains("Scaled up replica set web-" + newHash + " to 1\n")
                    && described.contains("Scaled down replica set web-" + hash + " to 2 from 3\n")
                    && described.contains("Scaled up replica set web-" + newHash + " to 3 from 2\n");
        });
        assertThat(cluster.kubectl("-n", ns, "rollout", "history", "deployment/web", "--revision=1").assertSuccess().output())
                .contains("registry.local/app:1");

        assertThat(cluster.kubectl("-n", ns, "rollout", "undo", "deployment/web").assertSuccess().output())
                .contains("deployment.apps/web rolled back");
        cluster.kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=90s").assertSuccess();
        Await.until(WAIT, "back on image 1", () -> images("web").equals(List.of("registry.local/app:1", "registry.local/app:1",
                "registry.local/app:1")));
        ReplicaSet reused = client.apps().replicaSets().inNamespace(ns).withName(firstRs.getMetadata().getName()).get();
        assertThat(reused.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3")
                .containsEntry("deployment.kubernetes.io/revision-history", "1");
        assertThat(cluster.kubectl("-n", ns, "rollout", "history", "deployment/web").assertSuccess().output())
                .containsPattern("(?m)^2\\s+<none>").containsPattern("(?m)^3\\s+<none>").doesNotContainPattern("(?m)^1\\s+<none>");
    }

    @Test
    void pauseResumeRestartAndRevisionHistoryLimit() {
        client.resource(deployment("paused", 2, "registry.local/app:1", d -> d.editSpec().withRevisionHistoryLimit(1)
                .endSpec())).create();
        cluster.kubectl("-n", ns, "rollout", "status", "deployment/paused", "--timeout=90s").assertSuccess();
        cluster.kubectl("-n", ns, "rollout", "pause", "deployment/paused").assertSuccess();
        cluster.kubectl("-n", ns, "set", "image", "deployment/paused", "app=registry.local/app:2").assertSuccess();
        Deployment held = Await.value(WAIT, "paused observed", () -> {
            Deployment d = client.apps().deployments().inNamespace(ns).withName("paused").get();
            return d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                    && "DeploymentPaused".equals(condition(d, "Progressing").getReason()) ? d : null;
        });
        assertThat(condition(held, "Progressing").getStatus()).isEqualTo("Unknown");
        assertThat(condition(held, "Progressing").getMessage()).isEqualTo("Deployment is paused");
        assertThat(client.apps().replicaSets().inNamespace(ns).list().getItems()).hasSize(1);
        assertThat(images("paused")).containsOnly("registry.local/app:1");

        cluster.kubectl("-n", ns, "rollout", "resume", "deployment/paused").assertSuccess();
        cluster.kubectl("-n", ns, "rollout", "status", "deployment/paused", "--timeout=90s").assertSuccess();
        Await.until(WAIT, "image 2 rolled out", () -> images("paused").equals(List.of("registry.local/app:2",
                "registry.local/app:2")));

        cluster.kubectl("-n", ns, "rollout", "restart", "deployment/paused").assertSuccess();
        cluster.kubectl("-n", ns, "rollout", "status", "deployment/paused", "--timeout=90s").assertSuccess();
        Await.until(WAIT, "restarted pods carry restartedAt", () -> activePods("app", "paused").size() == 2
                && activePods("app", "paused").stream().allMatch(p -> p.getMetadata().getAnnotations() != null
                        && p.getMetadata().getAnnotations().containsKey("kubectl.kubernetes.io/restartedAt")));
        // Three revisions so far; revisionHistoryLimit 1 keeps the new set and one old one.
        Await.until(WAIT, "history cleaned to the limit", () -> client.apps().replicaSets().inNamespace(ns).list()
                .getItems().size() == 2);
    }

    @Test
    void recreateNeverRunsOldAndNewPodsTogether() {
        client.resource(deployment("recreate", 3, "registry.local/app:1", d -> d.editSpec().withNewStrategy()
                .withType("Recreate").endStrategy().endSpec())).create();
        cluster.kubectl("-n", ns, "rollout", "status", "deployment/recreate", "--timeout=90s").assertSuccess();
        try (PodWatch watch = new PodWatch(client, ns, Map.of("app", "recreate"))) {
            Await.until(WAIT, "watch synced", () -> watch.active().size() == 3);
            watch.arm(pods -> pods.stream().map(p -> p.getSpec().getContainers().get(0).getImage()).distinct().count() <= 1);
            cluster.kubectl("-n", ns, "set", "image", "deployment/recreate", "app=registry.local/app:2").assertSuccess();
            cluster.kubectl("-n", ns, "rollout", "status", "deployment/recreate", "--timeout=90s").assertSuccess();
            Await.until(WAIT, "3 new pods", () -> images("recreate").equals(List.of("registry.local/app:2",
                    "registry.local/app:2", "registry.local/app:2")));
            assertThat(watch.violation()).as("old and new pods at once").isNull();
        }
    }

    @Test
    void aRolloutThatCannotProgressExceedsItsDeadline() {
        client.resource(deployment("stuck", 2, "registry.local/app:1", d -> d.editSpec().withProgressDeadlineSeconds(3)
                .editTemplate().editSpec().addToNodeSelector("zone", "nowhere").endSpec().endTemplate().endSpec())).create();
        Deployment d = Await.value(WAIT, "ProgressDeadlineExceeded", () -> {
            Deployment current = client.apps().deployments().inNamespace(ns).withName("stuck").get();
            DeploymentCondition progressing = condition(current, "Progressing");
            return progressing != null && "ProgressDeadlineExceeded".equals(progressing.getReason()) ? current : null;
        });
        String rs = onlyReplicaSet().getMetadata().getName();
        assertThat(condition(d, "Progressing").getStatus()).isEqualTo("False");
        assertThat(condition(d, "Progressing").getMessage()).isEqualTo("ReplicaSet \"" + rs + "\" has timed out progressing.");
        assertThat(condition(d, "Available").getStatus()).isEqualTo("False");
        assertThat(condition(d, "Available").getReason()).isEqualTo("MinimumReplicasUnavailable");
        assertThat(d.getStatus().getUnavailableReplicas()).isEqualTo(2);
        var status = cluster.kubectl("-n", ns, "rollout", "status", "deployment/stuck", "--timeout=30s");
        assertThat(status.exitCode()).isNotZero();
        assertThat(status.output()).contains("error: deployment \"stuck\" exceeded its progress deadline");
    }

    @Test
    void deletingADeploymentCascadesToItsReplicaSetsAndPods() {
        client.resource(deployment("doomed", 2, "registry.local/app:1", d -> d)).create();
        cluster.kubectl("-n", ns, "rollout", "status", "deployment/doomed", "--timeout=90s").assertSuccess();
        cluster.kubectl("-n", ns, "delete", "deployment", "doomed").assertSuccess();
        Await.until(WAIT, "replica sets and pods collected", () -> client.apps().replicaSets().inNamespace(ns).list()
                .getItems().isEmpty() && activePods("app", "doomed").isEmpty());

        client.resource(deployment("kept", 2, "registry.local/app:1", d -> d)).create();
        cluster.kubectl("-n", ns, "rollout", "status", "deployment/kept", "--timeout=90s").assertSuccess();
        cluster.kubectl("-n", ns, "delete", "deployment", "kept", "--cascade=orphan").assertSuccess();
        Await.until(WAIT, "replica set orphaned", () -> {
            List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(ns).list().getItems();
            return sets.size() == 1 && sets.get(0).getMetadata().getOwnerReferences().isEmpty();
        });
        assertThat(activePods("app", "kept")).hasSize(2);
    }

    @Test
    void aRolloutSurvivesAControllerManagerRestart() {
        client.resource(deployment("survivor", 6, "registry.local/app:1", d -> d.editSpec().withNewStrategy()
                .withType("RollingUpdate").withNewRollingUpdate().withMaxUnavailable(new IntOrString(0))
                .withMaxSurge(new IntOrString(1)).endRollingUpdate().endStrategy().endSpec())).create();
        cluster.kubectl("-n", ns, "rollout", "status", "deployment/survivor", "--timeout=90s").assertSuccess();
        try (PodWatch watch = new PodWatch(client, ns, Map.of("app", "survivor"))) {
            Await.until(WAIT, "watch synced", () -> watch.active().size() == 6);
            watch.arm(pods -> pods.size() <= 7);
            cluster.kubectl("-n", ns, "set", "image", "deployment/survivor", "app=registry.local/app:2").assertSuccess();
            Await.until(WAIT, "rollout under way", () -> images("survivor").contains("registry.local/app:2"));
            ControllerManager inProcess = cluster.server().controllers();
            inProcess.close();
            replacement = ControllerManager.start(cluster.stateDir().resolve("controller-manager.kubeconfig"),
                    new SimpleMeterRegistry(), ControllerManagerSettings.defaults()
                            .withLease(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500)));
            Await.until(WAIT, "replacement leads", replacement::isLeader);
            cluster.kubectl("-n", ns, "rollout", "status", "deployment/survivor", "--timeout=90s").assertSuccess();
            Await.until(WAIT, "6 new pods", () -> images("survivor").size() == 6
                    && images("survivor").stream().allMatch("registry.local/app:2"::equals));
            assertThat(watch.minReady()).isGreaterThanOrEqualTo(6);
            assertThat(watch.violation()).as("more than replicas + maxSurge pods").isNull();
        }
    }

    // --- helpers ---

    private PodTemplateSpec template(String app, String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
    }

    private ReplicaSet replicaSet(String name, int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withTemplate(template(name, "registry.local/app:1")).endSpec().build();
    }

    private Deployment deployment(String name, int replicas, String image, UnaryOperator<DeploymentBuilder> customize) {
        return customize.apply(new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withTemplate(template(name, image)).endSpec()).build();
    }

    private void scaleReplicaSet(String name, int replicas) {
        cluster.kubectl("-n", ns, "scale", "rs", name, "--replicas=" + replicas).assertSuccess();
    }

    private ReplicaSet awaitReplicaSet(String name, java.util.function.Predicate<ReplicaSet> check) {
        return Await.value(WAIT, "replica set " + name, () -> {
            ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).withName(name).get();
            return rs != null && check.test(rs) ? rs : null;
        });
    }

    private ReplicaSet onlyReplicaSet() {
        List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(ns).list().getItems();
        assertThat(sets).hasSize(1);
        return sets.get(0);
    }

    private List<Pod> activePods(String label, String value) {
        return client.pods().inNamespace(ns).withLabel(label, value).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private List<String> images(String app) {
        return activePods("app", app).stream().map(p -> p.getSpec().getContainers().get(0).getImage()).sorted().toList();
    }

    private static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus() == null ? null : d.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
