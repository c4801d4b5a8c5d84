package dev.flotilla.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controllers.statefulset.StatefulSetPlan.Action;
import dev.flotilla.controllers.statefulset.StatefulSetPlan.Step;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatefulSetPlanTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

    @Test
    void orderedReadyCreatesOneOrdinalAtATimeAndWaitsForReadiness() {
        StatefulSet set = set(3, "OrderedReady");
        assertThat(plan(set, List.of())).containsExactly("CREATE 0 @v1");
        assertThat(plan(set, List.of(pod(0, "v1", false)))).isEmpty();
        assertThat(plan(set, List.of(pod(0, "v1", true)))).containsExactly("CREATE 1 @v1");
    }

    @Test
    void parallelCreatesEveryMissingOrdinalAndReplacesFailedPods() {
        StatefulSet set = set(3, "Parallel");
        Pod failed = pod(1, "v1", false);
        failed.getStatus().setPhase("Failed");
        assertThat(plan(set, List.of(pod(0, "v1", false), failed)))
                .containsExactly("DELETE_FAILED 1", "CREATE 2 @v1");
    }

    @Test
    void scaleDownRemovesTheHighestOrdinalFirst() {
        StatefulSet ordered = set(1, "OrderedReady");
        List<Pod> three = List.of(pod(0, "v1", true), pod(1, "v1", true), pod(2, "v1", true));
        assertThat(plan(ordered, three)).containsExactly("DELETE_CONDEMNED 2");
        assertThat(plan(set(1, "Parallel"), three)).containsExactly("DELETE_CONDEMNED 2", "DELETE_CONDEMNED 1");
    }

    @Test
    void rollingUpdateReplacesFromTheTopDownToThePartition() {
        List<Pod> pods = List.of(pod(0, "v1", true), pod(1, "v1", true), pod(2, "v1", true));
        assertThat(plan(set(3, "OrderedReady"), pods, "v2")).containsExactly("DELETE_OUTDATED 2");
        StatefulSet partitioned = set(3, "OrderedReady");
        partitioned.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(2);
        assertThat(plan(partitioned, List.of(pod(0, "v1", true), pod(1, "v1", true), pod(2, "v2", true)), "v2")).isEmpty();
        // Below the partition, a missing pod comes back at the current revision.
        assertThat(plan(partitioned, List.of(pod(1, "v1", true), pod(2, "v2", true)), "v2"))
                .containsExactly("CREATE 0 @v1");
    }

    @Test
    void maxUnavailableBoundsHowManyPodsAreReplacedAtOnce() {
        StatefulSet set = set(4, "Parallel");
        set.getSpec().getUpdateStrategy().getRollingUpdate().setMaxUnavailable(new IntOrString(2));
        List<Pod> pods = new ArrayList<>(List.of(pod(0, "v1", true), pod(1, "v1", true), pod(2, "v1", true),
                pod(3, "v1", true)));
        assertThat(plan(set, pods, "v2")).containsExactly("DELETE_OUTDATED 3", "DELETE_OUTDATED 2");
        pods.set(3, pod(3, "v2", false));
        assertThat(plan(set, pods, "v2")).containsExactly("DELETE_OUTDATED 2");
        set.getSpec().getUpdateStrategy().getRollingUpdate().setMaxUnavailable(new IntOrString("50%"));
        assertThat(StatefulSetPlan.maxUnavailable(set, 4)).isEqualTo(2);
        assertThat(StatefulSetPlan.maxUnavailable(set, 1)).isEqualTo(1);
    }

    @Test
    void onDeleteNeverReplacesAPodThatIsThere() {
        StatefulSet set = set(2, "OrderedReady");
        set.getSpec().getUpdateStrategy().setType("OnDelete");
        set.getSpec().getUpdateStrategy().setRollingUpdate(null);
        assertThat(plan(set, List.of(pod(0, "v1", true), pod(1, "v1", true)), "v2")).isEmpty();
        assertThat(plan(set, List.of(pod(0, "v1", true)), "v2")).containsExactly("CREATE 1 @v2");
    }

    @Test
    void podsHaveStableIdentityAndClaims() {
        StatefulSet set = set(3, "OrderedReady");
        set.getSpec().setServiceName("web");
        set.getSpec().getVolumeClaimTemplates().add(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("www").endMetadata().build());
        Pod pod = StatefulPods.newPod(set, set.getSpec().getTemplate(), "web-abc", 2, new KubernetesSerialization());
        assertThat(pod.getMetadata().getName()).isEqualTo("web-2");
        assertThat(pod.getSpec().getHostname()).isEqualTo("web-2");
        assertThat(pod.getSpec().getSubdomain()).isEqualTo("web");
        assertThat(pod.getMetadata().getLabels()).containsEntry("controller-revision-hash", "web-abc")
                .containsEntry("apps.kubernetes.io/pod-index", "2").containsEntry("app", "web");
        assertThat(pod.getSpec().getVolumes()).singleElement()
                .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-2"));
        assertThat(StatefulPods.ordinal(set, pod)).isEqualTo(2);
        assertThat(StatefulPods.ordinal(set, named("web-02"))).isEqualTo(-1);
        assertThat(StatefulPods.ordinal(set, named("web-x"))).isEqualTo(-1);
        assertThat(StatefulPods.ordinal(set, named("webby-1"))).isEqualTo(-1);
    }

    private static List<String> plan(StatefulSet set, List<Pod> pods) {
        return plan(set, pods, "v1");
    }

    private static List<String> plan(StatefulSet set, List<Pod> pods, String update) {
        return StatefulSetPlan.plan(set, pods, "v1", update, NOW).stream().map(StatefulSetPlanTest::describe).toList();
    }

    private static String describe(Step step) {
        return step.action() == Action.CREATE ? "CREATE " + step.ordinal() + " @" + step.revision()
                : step.action() + " " + step.ordinal();
    }

    private static StatefulSet set(int replicas, String policy) {
        return new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("set-uid")
                .endMetadata().withNewSpec().withReplicas(replicas).withPodManagementPolicy(policy)
                .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(0)
                .endRollingUpdate().endUpdateStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage("app:1").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    private static Pod named(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    private static Pod pod(int ordinal, String revision, boolean ready) {
        return new PodBuilder().withNewMetadata().withName("web-" + ordinal).addToLabels("controller-revision-hash", revision)
                .endMetadata().withNewStatus().withPhase(ready ? "Running" : "Pending").addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
                .endStatus().build();
    }
}
