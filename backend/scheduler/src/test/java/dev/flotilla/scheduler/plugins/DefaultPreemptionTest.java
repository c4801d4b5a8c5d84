package dev.flotilla.scheduler.plugins;

import static dev.flotilla.scheduler.plugins.TestCluster.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.PodPlacement;
import dev.flotilla.scheduler.framework.PostFilterResult;
import dev.flotilla.scheduler.framework.Profile;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultPreemptionTest {

    private final List<PodDisruptionBudget> budgets = new ArrayList<>();
    private final PodPlacement placement = new PodPlacement(new Profile("default-scheduler",
            List.of(new NodeAffinity(), new NodeResourcesFit()), List.of(),
            List.of(new DefaultPreemption(namespace -> budgets))), 100);

    @Test
    void evictsTheLeastImportantNodeAndReprievesWhatStillLeavesRoom() {
        TestCluster cluster = new TestCluster().node("a", Map.of()).node("b", Map.of())
                .bound(pod("low-10", 10, "2"), "a").bound(pod("low-5", 5, "1"), "a")
                .bound(pod("mid-50", 50, "4"), "b");

        PostFilterResult result = preempt(cluster, pod("urgent", 100, "3"));

        assertThat(result.nominatedNodeName()).as("highest victim priority 10 beats 50").isEqualTo("a");
        assertThat(names(result.victims())).as("low-5 put back: 3 cpu are free without low-10").containsExactly("low-10");
        assertThat(result.message()).isEmpty();
    }

    @Test
    void avoidsVictimsWhoseDisruptionBudgetIsSpent() {
        TestCluster cluster = new TestCluster().node("a", Map.of()).node("b", Map.of())
                .bound(labelled(pod("guarded", 0, "4"), "guarded"), "a")
                .bound(labelled(pod("free", 5, "4"), "free"), "b");
        budgets.add(new PodDisruptionBudgetBuilder().withNewMetadata().withName("guard").withNamespace("ns").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "guarded").endSelector().endSpec()
                .withNewStatus().withDisruptionsAllowed(0).endStatus().build());

        PostFilterResult result = preempt(cluster, pod("urgent", 100, "3"));

        assertThat(result.nominatedNodeName()).as("a lower victim priority loses to a PDB violation").isEqualTo("b");
        assertThat(names(result.victims())).containsExactly("free");
    }

    @Test
    void prefersTheLowerPrioritySum() {
        TestCluster cluster = new TestCluster().node("a", Map.of()).node("b", Map.of())
                .bound(pod("a-1", 7, "2"), "a").bound(pod("a-2", 7, "2"), "a")
                .bound(pod("b-1", 7, "2"), "b").bound(pod("b-2", 1, "2"), "b");

        PostFilterResult result = preempt(cluster, pod("urgent", 100, "4"));

        assertThat(result.nominatedNodeName()).isEqualTo("b");
        assertThat(names(result.victims())).as("most important first").containsExactly("b-1", "b-2");

        TestCluster sameSums = new TestCluster().node("a", Map.of()).node("c", Map.of())
                .bound(pod("a-1", 0, "2"), "a").bound(pod("a-2", 0, "2"), "a").bound(pod("c-1", 0, "4"), "c");
        assertThat(preempt(sameSums, pod("urgent", 100, "4")).nominatedNodeName())
                .as("sum of (priority + 2^31) is lower with one victim").isEqualTo("c");
    }

    @Test
    void explainsEachNodeWhenNothingCanBeEvicted() {
        TestCluster cluster = new TestCluster().node("a", Map.of("pool", "x")).node("b", Map.of("pool", "x"))
                .node("c", Map.of())
                .bound(pod("same", 100, "4"), "a").bound(pod("same-b", 100, "1"), "b").bound(pod("low", 0, "1"), "b");

        Pod urgent = new PodBuilder(pod("urgent", 100, "4")).editSpec().addToNodeSelector("pool", "x").endSpec().build();
        PostFilterResult result = preempt(cluster, urgent);

        assertThat(result.nominatedNodeName()).as("clears an earlier nomination").isEmpty();
        assertThat(result.message()).isEqualTo("preemption: 0/3 nodes are available: 1 Insufficient cpu, "
                + "1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.");
    }

    @Test
    void aPodThatMayNotPreemptOrIsWaitingForItsVictimsEvictsNothing() {
        TestCluster cluster = new TestCluster().node("a", Map.of()).bound(pod("low", 0, "4"), "a");
        Pod never = new PodBuilder(pod("polite", 100, "4")).editSpec().withPreemptionPolicy("Never").endSpec().build();
        assertThat(preempt(cluster, never)).isEqualTo(PostFilterResult.failed(null,
                "preemption: not eligible due to preemptionPolicy=Never."));

        Pod leaving = new PodBuilder(pod("low", 0, "4")).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata().build();
        TestCluster terminating = new TestCluster().node("a", Map.of()).bound(leaving, "a");
        Pod nominated = new PodBuilder(pod("urgent", 100, "4")).withNewStatus().withNominatedNodeName("a").endStatus().build();
        assertThat(preempt(terminating, nominated)).isEqualTo(PostFilterResult.failed(null,
                "preemption: not eligible due to a terminating pod on the nominated node."));
    }

    @Test
    void aNominatedPodReservesItsRoomAgainstPodsOfLowerOrEqualPriority() {
        TestCluster cluster = new TestCluster().node("a", Map.of());
        cluster.cache.nominate(TestCluster.info(pod("urgent", 100, "3")), "a");

        PodPlacement.Result lower = placement.place(TestCluster.info(pod("lower", 100, "2")), cluster.nodes());
        assertThat(lower.scheduled()).isFalse();
        assertThat(lower.diagnosis().message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(placement.place(TestCluster.info(pod("higher", 200, "2")), cluster.nodes()).nodeName()).isEqualTo("a");
        assertThat(placement.place(TestCluster.info(pod("urgent", 100, "3")), cluster.nodes()).nodeName())
                .as("not held back by its own nomination").isEqualTo("a");

        cluster.cache.clearNomination("ns/urgent");
        assertThat(placement.place(TestCluster.info(pod("lower", 100, "2")), cluster.nodes()).nodeName()).isEqualTo("a");
    }

    private PostFilterResult preempt(TestCluster cluster, Pod pod) {
        PodInfo info = TestCluster.info(pod);
        PodPlacement.Result result = placement.place(info, cluster.nodes());
        assertThat(result.scheduled()).as("the pod must not fit before preemption").isFalse();
        return placement.postFilter(info, result.diagnosis(), cluster.nodes());
    }

    private static List<String> names(List<PodInfo> pods) {
        return pods.stream().map(p -> p.pod().getMetadata().getName()).toList();
    }

    private static Pod pod(String name, int priority, String cpu) {
        return TestCluster.pod(name, "ns", Map.of(), p -> p.editSpec().withPriority(priority).editFirstContainer()
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec());
    }

    private static Pod labelled(Pod pod, String app) {
        return new PodBuilder(pod).editMetadata().addToLabels("app", app).endMetadata().build();
    }
}
