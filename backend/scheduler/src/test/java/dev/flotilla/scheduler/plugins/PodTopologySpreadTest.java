package dev.flotilla.scheduler.plugins;

import static dev.flotilla.scheduler.plugins.TestCluster.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.scheduler.framework.FilterResult;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PodTopologySpreadTest {

    private static final String HOST = "kubernetes.io/hostname";
    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final Map<String, String> WEB = Map.of("app", "web");
    private static final FilterResult SKEWED = FilterResult.unschedulable("node(s) didn't match pod topology spread constraints");

    private final PodTopologySpread plugin = new PodTopologySpread(pod -> LabelSelector.everything());

    @Test
    void doNotScheduleKeepsTheSkewWithinMaxSkew() {
        TestCluster cluster = threeNodesInTwoZones().node("unlabelled", Map.of())
                .bound(web("web-0"), "a").bound(web("web-1"), "b");

        Map<String, FilterResult> results = cluster.filter(plugin, incoming(constraint(ZONE, 1)));

        assertThat(results.get("a")).isEqualTo(SKEWED);
        assertThat(results.get("b")).isEqualTo(SKEWED);
        assertThat(results.get("c").fits()).isTrue();
        assertThat(results.get("unlabelled"))
                .isEqualTo(FilterResult.unresolvable("node(s) didn't match pod topology spread constraints (missing required label)"));
        assertThat(cluster.filter(plugin, incoming(constraint(ZONE, 3))).get("a").fits()).as("skew 3 allowed").isTrue();
        assertThat(cluster.filter(plugin, incoming(constraint(ZONE, 2))).get("a")).isEqualTo(SKEWED);
        assertThat(cluster.filter(plugin, pod("db", "ns", Map.of("app", "db"), spread(constraint(ZONE, 2)))).get("a").fits())
                .as("a pod its own selector does not match does not add itself").isTrue();
    }

    @Test
    void countsFromTheCachesIndexAgreeWithCountingEveryNode() {
        TestCluster cluster = threeNodesInTwoZones().bound(web("web-0"), "a").bound(web("web-1"), "b")
                .bound(web("web-2"), "c").bound(pod("terminating", "ns", WEB,
                        p -> p.editMetadata().withDeletionTimestamp("2026-12-07T00:00:00Z").endMetadata()), "c");
        // A nodeSelector every node satisfies keeps the result but makes the plugin count node by node.
        UnaryOperator<PodBuilder> everyNode = p -> p.editSpec().addToNodeSelector(HOST + "-present", "yes").endSpec();
        cluster.node("a", Map.of(ZONE, "z1", HOST + "-present", "yes")).node("b", Map.of(ZONE, "z1", HOST + "-present", "yes"))
                .node("c", Map.of(ZONE, "z2", HOST + "-present", "yes"));

        for (TopologySpreadConstraint constraint : new TopologySpreadConstraint[] {constraint(ZONE, 1), constraint(HOST, 1),
                new TopologySpreadConstraintBuilder(constraint(ZONE, 1)).withMinDomains(3).build()}) {
            Map<String, FilterResult> fromIndex = cluster.filter(plugin, incoming(constraint));
            Map<String, FilterResult> perNode = cluster.filter(plugin,
                    pod("incoming", "ns", WEB, p -> spread(constraint).apply(everyNode.apply(p))));
            assertThat(fromIndex).as(constraint.getTopologyKey()).isEqualTo(perNode);
        }
        assertThat(cluster.filter(plugin, incoming(constraint(ZONE, 1))).get("c").fits())
                .as("the terminating pod does not count").isTrue();
    }

    @Test
    void minDomainsTreatsTheMinimumAsZeroWhileDomainsAreMissing() {
        TestCluster cluster = threeNodesInTwoZones()
                .bound(web("web-0"), "a").bound(web("web-1"), "b").bound(web("web-2"), "c");

        assertThat(cluster.filter(plugin, incoming(constraint(HOST, 1))).values()).allMatch(FilterResult::fits);
        TopologySpreadConstraint fourHosts = new TopologySpreadConstraintBuilder(constraint(HOST, 1)).withMinDomains(4).build();
        assertThat(cluster.filter(plugin, incoming(fourHosts)).values()).containsOnly(SKEWED);
    }

    @Test
    void nodeAffinityPolicyHonorCountsOnlyNodesThePodMayUse() {
        TestCluster cluster = new TestCluster().node("a", Map.of(ZONE, "z1", "disk", "ssd"))
                .node("b", Map.of(ZONE, "z1", "disk", "ssd")).node("c", Map.of(ZONE, "z2"))
                .bound(web("web-0"), "a");
        UnaryOperator<PodBuilder> ssdOnly = p -> p.editSpec().addToNodeSelector("disk", "ssd").endSpec();

        Pod honoring = pod("web", "ns", WEB, p -> spread(constraint(ZONE, 1)).apply(ssdOnly.apply(p)));
        assertThat(cluster.filter(plugin, honoring).get("a").fits()).as("z2 is not a domain for this pod").isTrue();

        TopologySpreadConstraint ignoring = new TopologySpreadConstraintBuilder(constraint(ZONE, 1))
                .withNodeAffinityPolicy("Ignore").build();
        Pod ignoringPod = pod("web", "ns", WEB, p -> spread(ignoring).apply(ssdOnly.apply(p)));
        assertThat(cluster.filter(plugin, ignoringPod).get("a")).isEqualTo(SKEWED);
    }

    @Test
    void nodeTaintsPolicyHonorLeavesOutNodesWithUntoleratedTaints() {
        TestCluster cluster = new TestCluster().node("a", Map.of(ZONE, "z1")).node("b", Map.of(ZONE, "z1"))
                .node("c", Map.of(ZONE, "z2"), n -> n.editSpec().addNewTaint().withKey("dedicated").withValue("x")
                        .withEffect("NoSchedule").endTaint().endSpec())
                .bound(web("web-0"), "a");

        assertThat(cluster.filter(plugin, incoming(constraint(ZONE, 1))).get("b")).as("taints ignored by default")
                .isEqualTo(SKEWED);
        TopologySpreadConstraint honoring = new TopologySpreadConstraintBuilder(constraint(ZONE, 1))
                .withNodeTaintsPolicy("Honor").build();
        assertThat(cluster.filter(plugin, incoming(honoring)).get("b").fits()).isTrue();
    }

    @Test
    void matchLabelKeysSpreadEachRevisionOnItsOwn() {
        TestCluster cluster = threeNodesInTwoZones()
                .bound(pod("old-0", "ns", Map.of("app", "web", "hash", "1"), p -> p), "a")
                .bound(pod("old-1", "ns", Map.of("app", "web", "hash", "1"), p -> p), "b");
        TopologySpreadConstraint perRevision = new TopologySpreadConstraintBuilder(constraint(ZONE, 1))
                .withMatchLabelKeys("hash").build();

        Pod newRevision = pod("new", "ns", Map.of("app", "web", "hash", "2"), spread(perRevision));
        assertThat(cluster.filter(plugin, newRevision).values()).allMatch(FilterResult::fits);
        Pod sameLabels = pod("new", "ns", Map.of("app", "web", "hash", "2"), spread(constraint(ZONE, 1)));
        assertThat(cluster.filter(plugin, sameLabels).get("a")).isEqualTo(SKEWED);
    }

    @Test
    void terminatingPodsAndOtherNamespacesDoNotCount() {
        Pod leaving = new PodBuilder(web("web-0")).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata().build();
        TestCluster cluster = threeNodesInTwoZones().bound(leaving, "a")
                .bound(pod("web-elsewhere", "other", WEB, p -> p), "b");

        assertThat(cluster.filter(plugin, incoming(constraint(ZONE, 1))).values()).allMatch(FilterResult::fits);
    }

    @Test
    void scheduleAnywayPrefersNodesWithFewerMatchingPods() {
        TestCluster cluster = threeNodesInTwoZones().node("unlabelled", Map.of())
                .bound(web("web-0"), "a").bound(web("web-1"), "a").bound(web("web-2"), "b");
        TopologySpreadConstraint soft = new TopologySpreadConstraintBuilder(constraint(HOST, 1))
                .withWhenUnsatisfiable("ScheduleAnyway").build();

        assertThat(cluster.filter(plugin, incoming(soft)).values()).as("soft constraints do not filter")
                .allMatch(FilterResult::fits);
        // Raw: count * log(4 + 2) + (maxSkew - 1) = 4, 2, 0, 0 for a, b, c, unlabelled.
        assertThat(cluster.score(plugin, incoming(soft)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 0L, "b", 50L, "c", 100L, "unlabelled", 100L));
        // By zone: z1 holds 3 (raw 4 for a and b), z2 none; the node without a zone scores 0.
        TopologySpreadConstraint softZone = new TopologySpreadConstraintBuilder(constraint(ZONE, 1))
                .withWhenUnsatisfiable("ScheduleAnyway").build();
        assertThat(cluster.score(plugin, incoming(softZone)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 0L, "b", 0L, "c", 100L, "unlabelled", 0L));
    }

    @Test
    void podsWithoutConstraintsSpreadByTheSystemDefaultsWhenSomethingSelectsThem() {
        PodTopologySpread withOwners = new PodTopologySpread(pod -> "web".equals(pod.getMetadata().getLabels().get("app"))
                ? LabelSelector.fromSet(WEB) : LabelSelector.everything());
        TestCluster cluster = threeNodesInTwoZones().bound(web("web-0"), "a").bound(web("web-1"), "a");

        // hostname (maxSkew 3, weight log 5) + zone (maxSkew 5, weight log 4): a 12, b 9, c 6.
        assertThat(cluster.score(withOwners, pod("web-2", "ns", WEB, p -> p)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 50L, "b", 75L, "c", 100L));
        assertThat(cluster.score(withOwners, pod("loose", "ns", Map.of("app", "db"), p -> p)).values())
                .as("nothing selects it: no preference").containsOnly(100L);
    }

    @Test
    void listedDefaultConstraintsFilterWithDoNotScheduleAndNeedTheirTopologyKeys() {
        TopologySpreadConstraint zoneDefault = new TopologySpreadConstraintBuilder().withTopologyKey(ZONE).withMaxSkew(1)
                .withWhenUnsatisfiable("DoNotSchedule").build();
        PodTopologySpread listed = new PodTopologySpread(pod -> "web".equals(pod.getMetadata().getLabels().get("app"))
                ? LabelSelector.fromSet(WEB) : LabelSelector.everything(), List.of(zoneDefault), false);
        TestCluster cluster = threeNodesInTwoZones().node("unlabelled", Map.of()).bound(web("web-0"), "a");

        Map<String, FilterResult> results = cluster.filter(listed, pod("web-1", "ns", WEB, p -> p));
        assertThat(results.get("a").fits()).isFalse();
        assertThat(results.get("a").reasons()).containsExactly(PodTopologySpread.CONSTRAINTS_REASON);
        assertThat(results.get("b").fits()).isFalse();
        assertThat(results.get("c").fits()).isTrue();
        assertThat(results.get("unlabelled").reasons()).containsExactly(PodTopologySpread.MISSING_LABEL_REASON);
        // A pod with constraints of its own, or one nothing selects, is not given the defaults.
        assertThat(cluster.filter(listed, pod("loose", "ns", Map.of("app", "db"), p -> p)).values())
                .allMatch(FilterResult::fits);
        assertThat(cluster.filter(listed, pod("own", "ns", WEB, spread(new TopologySpreadConstraintBuilder(constraint(ZONE, 5))
                .build()))).get("a").fits()).isTrue();
    }

    private static TestCluster threeNodesInTwoZones() {
        return new TestCluster().node("a", Map.of(ZONE, "z1")).node("b", Map.of(ZONE, "z1")).node("c", Map.of(ZONE, "z2"));
    }

    private static Pod web(String name) {
        return pod(name, "ns", WEB, p -> p);
    }

    private static Pod incoming(TopologySpreadConstraint... constraints) {
        return pod("incoming", "ns", WEB, spread(constraints));
    }

    static TopologySpreadConstraint constraint(String topologyKey, int maxSkew) {
        return new TopologySpreadConstraintBuilder().withTopologyKey(topologyKey).withMaxSkew(maxSkew)
                .withWhenUnsatisfiable("DoNotSchedule").withNewLabelSelector().withMatchLabels(WEB).endLabelSelector().build();
    }

    static UnaryOperator<PodBuilder> spread(TopologySpreadConstraint... constraints) {
        return p -> p.editSpec().withTopologySpreadConstraints(constraints).endSpec();
    }
}
