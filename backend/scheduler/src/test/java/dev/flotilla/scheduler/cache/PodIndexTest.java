package dev.flotilla.scheduler.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.selector.LabelSelector;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache's {@link PodIndex} kept current by every change must always say what an index built
 * afresh from the same nodes says.
 */
class PodIndexTest {

    private static final String HOST = "kubernetes.io/hostname";
    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final PodQuery WEB_BY_ZONE = new PodQuery(Set.of("ns"), LabelSelector.fromSet(Map.of("app", "web")),
            false, ZONE);
    private static final PodQuery RUNNING_WEB_BY_HOST = new PodQuery(Set.of("ns"),
            LabelSelector.fromSet(Map.of("app", "web")), true, HOST);

    private final SchedulerCache cache = new SchedulerCache();

    @BeforeEach
    void twoZones() {
        cache.upsertNode(node("a", "z1"));
        cache.upsertNode(node("b", "z1"));
        cache.upsertNode(node("c", "z2"));
        // Asked before the pods arrive, so that from here on the cache updates the answers instead of counting.
        index().matching(WEB_BY_ZONE);
        index().matching(RUNNING_WEB_BY_HOST);
    }

    @Test
    void assumedPodsCountUntilForgottenAndConfirmedOnesStay() {
        cache.assume(info(web("w1")), "a");
        cache.assume(info(web("w2")), "c");
        assertThat(index().matching(WEB_BY_ZONE)).isEqualTo(Map.of("z1", 1, "z2", 1));

        cache.forget("ns/w1");
        cache.upsertBoundPod(info(web("w2")), "c");
        cache.forget("ns/w2");

        assertThat(index().matching(WEB_BY_ZONE)).isEqualTo(Map.of("z2", 1));
        assertMatchesAFreshIndex();
    }

    @Test
    void removedPodsAndPodsMovedToAnotherNodeAreCountedWhereTheyAre() {
        cache.upsertBoundPod(info(web("w1")), "a");
        cache.upsertBoundPod(info(web("w2")), "b");
        cache.upsertBoundPod(info(web("w2")), "c");
        cache.removePod("ns/w1");

        assertThat(index().matching(WEB_BY_ZONE)).isEqualTo(Map.of("z2", 1));
        assertThat(index().matching(RUNNING_WEB_BY_HOST)).isEqualTo(Map.of("c", 1));
        assertMatchesAFreshIndex();
    }

    @Test
    void aRemovedNodesPodsStopCountingAndCountAgainWhenItReturns() {
        cache.upsertBoundPod(info(web("w1")), "a");
        cache.upsertBoundPod(info(antiAffine("loner")), "a");
        cache.removeNode("a");

        assertThat(index().matching(WEB_BY_ZONE)).isEmpty();
        assertThat(index().requiredAntiAffinity().byTerm()).isEmpty();
        assertThat(index().labelValues(ZONE)).isEqualTo(Map.of("z1", 1, "z2", 1));
        assertMatchesAFreshIndex();

        cache.upsertNode(node("a", "z1"));
        assertThat(index().matching(WEB_BY_ZONE)).isEqualTo(Map.of("z1", 1));
        assertThat(index().requiredAntiAffinity().byTerm().values()).containsExactly(Map.of("z1", 1));
        assertMatchesAFreshIndex();
    }

    @Test
    void relabellingANodeMovesItsPodsToTheNewDomain() {
        cache.upsertBoundPod(info(web("w1")), "a");
        cache.upsertBoundPod(info(antiAffine("loner")), "a");
        cache.upsertNode(node("a", "z2"));

        assertThat(index().matching(WEB_BY_ZONE)).isEqualTo(Map.of("z2", 1));
        assertThat(index().requiredAntiAffinity().byTerm().values()).containsExactly(Map.of("z2", 1));
        assertThat(index().labelValues(ZONE)).isEqualTo(Map.of("z1", 1, "z2", 2));
        assertMatchesAFreshIndex();
    }

    @Test
    void aNodeWithoutTheLabelNeitherCountsItsPodsNorHasEveryKey() {
        cache.upsertNode(new NodeBuilder().withNewMetadata().withName("bare").endMetadata().withNewSpec().endSpec()
                .withNewStatus().endStatus().build());
        cache.upsertBoundPod(info(web("w1")), "bare");

        assertThat(index().matching(WEB_BY_ZONE)).isEmpty();
        assertThat(index().everyNodeHas(ZONE)).isFalse();
        assertThat(index().everyNodeHas("kubernetes.io/hostname")).isFalse();
        cache.removeNode("bare");
        assertThat(index().everyNodeHas(ZONE)).isTrue();
        assertMatchesAFreshIndex();
    }

    @Test
    void terminatingPodsAreLeftOutOnlyWhereTheQuerySaysSo() {
        Pod terminating = new PodBuilder(web("w1")).editMetadata().withDeletionTimestamp("2026-12-07T00:00:00Z")
                .endMetadata().build();
        cache.upsertBoundPod(info(terminating), "a");

        assertThat(index().matching(WEB_BY_ZONE)).isEqualTo(Map.of("z1", 1));
        assertThat(index().matching(RUNNING_WEB_BY_HOST)).isEmpty();
        assertMatchesAFreshIndex();
    }

    @Test
    void imagesAreCountedPerNodeAndFollowStatusUpdates() {
        cache.upsertNode(new NodeBuilder(node("a", "z1")).editStatus()
                .addToImages(new ContainerImageBuilder().withNames("app:1", "app@sha256:1").withSizeBytes(10L).build())
                .endStatus().build());
        cache.upsertNode(new NodeBuilder(node("c", "z2")).editStatus()
                .addToImages(new ContainerImageBuilder().withNames("app:1").withSizeBytes(10L).build()).endStatus().build());
        assertThat(index().nodesWithImage("app:1")).isEqualTo(2);

        cache.upsertNode(node("c", "z2"));
        assertThat(index().nodesWithImage("app:1")).isEqualTo(1);
        assertThat(index().nodesWithImage("app@sha256:1")).isEqualTo(1);
        assertMatchesAFreshIndex();
    }

    @Test
    void aQueryDroppedForRecentOnesIsRecountedWhenAskedAgain() {
        cache.upsertBoundPod(info(web("w1")), "a");
        for (int i = 0; i < PodIndex.MAX_QUERIES + 5; i++) {
            index().matching(new PodQuery(Set.of("ns"), LabelSelector.fromSet(Map.of("app", "other-" + i)), false, ZONE));
        }
        cache.upsertBoundPod(info(web("w2")), "c");

        assertThat(index().matching(WEB_BY_ZONE)).isEqualTo(Map.of("z1", 1, "z2", 1));
        assertMatchesAFreshIndex();
    }

    @Test
    void identicalTermsOfManyPodsAreOneEntry() {
        cache.upsertBoundPod(info(antiAffine("l1")), "a");
        cache.upsertBoundPod(info(antiAffine("l2")), "b");
        cache.upsertBoundPod(info(antiAffine("l3")), "c");

        assertThat(index().requiredAntiAffinity().byTerm()).hasSize(1);
        assertThat(index().requiredAntiAffinity().byTerm().values()).containsExactly(Map.of("z1", 2, "z2", 1));
        cache.removePod("ns/l3");
        assertThat(index().requiredAntiAffinity().byTerm().values()).containsExactly(Map.of("z1", 2));
        assertMatchesAFreshIndex();
    }

    private PodIndex index() {
        return cache.nodes().index();
    }

    private void assertMatchesAFreshIndex() {
        PodIndex fresh = PodIndex.of(List.copyOf(cache.nodes()));
        PodIndex kept = index();
        for (PodQuery query : List.of(WEB_BY_ZONE, RUNNING_WEB_BY_HOST)) {
            assertThat(kept.matching(query)).as(query.toString()).isEqualTo(fresh.matching(query));
        }
        assertThat(kept.requiredAntiAffinity().byTerm()).isEqualTo(fresh.requiredAntiAffinity().byTerm());
        assertThat(kept.requiredAffinity().byTerm()).isEqualTo(fresh.requiredAffinity().byTerm());
        assertThat(kept.preferredAffinity().byTerm()).isEqualTo(fresh.preferredAffinity().byTerm());
        assertThat(kept.preferredAntiAffinity().byTerm()).isEqualTo(fresh.preferredAntiAffinity().byTerm());
        for (String key : List.of(HOST, ZONE)) {
            assertThat(kept.labelValues(key)).isEqualTo(fresh.labelValues(key));
            assertThat(kept.everyNodeHas(key)).isEqualTo(fresh.everyNodeHas(key));
        }
        assertThat(kept.nodesWithImage("app:1")).isEqualTo(fresh.nodesWithImage("app:1"));
        assertThat(kept.nodeCount()).isEqualTo(fresh.nodeCount());
    }

    private static Node node(String name, String zone) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(Map.of(HOST, name, ZONE, zone)).endMetadata()
                .withNewSpec().endSpec().withNewStatus().endStatus().build();
    }

    private static Pod web(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withLabels(Map.of("app", "web"))
                .endMetadata().withNewSpec().addNewContainer().withName("app").endContainer().endSpec().build();
    }

    private static Pod antiAffine(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withLabels(Map.of("app", "loner"))
                .endMetadata().withNewSpec().addNewContainer().withName("app").endContainer().withNewAffinity()
                .withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution().withNewLabelSelector()
                .addToMatchLabels("app", "loner").endLabelSelector().withTopologyKey(ZONE)
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec().build();
    }

    private static PodInfo info(Pod pod) {
        return new PodInfo(pod, 0);
    }
}
