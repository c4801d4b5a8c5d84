package dev.flotilla.scheduler.plugins;

import static dev.flotilla.scheduler.plugins.TestCluster.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.scheduler.framework.FilterResult;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class InterPodAffinityTest {

    private static final String HOST = "kubernetes.io/hostname";
    private static final String ZONE = "topology.kubernetes.io/zone";

    private final Map<String, Map<String, String>> namespaceLabels = Map.of("team-a", Map.of("team", "a"),
            "team-a2", Map.of("team", "a"), "other", Map.of("team", "b"));
    private final InterPodAffinity plugin = new InterPodAffinity(ns -> namespaceLabels.getOrDefault(ns, Map.of()));

    @Test
    void requiredAntiAffinitySpreadsOnePerNode() {
        TestCluster cluster = threeNodesInTwoZones().bound(pod("web-0", "ns", Map.of("app", "web"), p -> p), "a");
        Pod incoming = pod("web-1", "ns", Map.of("app", "web"), antiAffinity(term(Map.of("app", "web"), HOST)));

        Map<String, FilterResult> results = cluster.filter(plugin, incoming);

        assertThat(results.get("a")).isEqualTo(FilterResult.unschedulable("node(s) didn't match pod anti-affinity rules"));
        assertThat(results.get("b").fits()).isTrue();
        assertThat(results.get("c").fits()).isTrue();
    }

    @Test
    void anExistingPodsAntiAffinityKeepsMatchingPodsOutOfItsZone() {
        TestCluster cluster = threeNodesInTwoZones()
                .bound(pod("loner", "ns", Map.of("app", "loner"), antiAffinity(term(Map.of("app", "db"), ZONE))), "a");
        Pod incoming = pod("db", "ns", Map.of("app", "db"), p -> p);

        Map<String, FilterResult> results = cluster.filter(plugin, incoming);

        FilterResult existing = FilterResult.unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
        assertThat(results.get("a")).isEqualTo(existing);
        assertThat(results.get("b")).isEqualTo(existing);
        assertThat(results.get("c").fits()).isTrue();
        assertThat(cluster.filter(plugin, pod("other-app", "ns", Map.of("app", "web"), p -> p)).values())
                .allMatch(FilterResult::fits);
        assertThat(cluster.filter(plugin, pod("db-elsewhere", "other", Map.of("app", "db"), p -> p)).values())
                .as("the term covers only the loner's own namespace").allMatch(FilterResult::fits);
    }

    @Test
    void requiredAffinityCoLocatesInTheTargetsZone() {
        TestCluster cluster = threeNodesInTwoZones().node("unlabelled", Map.of())
                .bound(pod("cache", "ns", Map.of("app", "cache"), p -> p), "c");
        Pod incoming = pod("web", "ns", Map.of("app", "web"), affinity(term(Map.of("app", "cache"), ZONE)));

        Map<String, FilterResult> results = cluster.filter(plugin, incoming);

        FilterResult mismatch = FilterResult.unresolvable("node(s) didn't match pod affinity rules");
        assertThat(results.get("a")).isEqualTo(mismatch);
        assertThat(results.get("b")).isEqualTo(mismatch);
        assertThat(results.get("c").fits()).isTrue();
        assertThat(results.get("unlabelled")).isEqualTo(mismatch);
    }

    @Test
    void theFirstPodOfASelfAffineGroupMayGoWhereTheTopologyLabelIs() {
        TestCluster cluster = threeNodesInTwoZones().node("unlabelled", Map.of());
        Pod first = pod("web-0", "ns", Map.of("app", "web"), affinity(term(Map.of("app", "web"), ZONE)));
        Map<String, FilterResult> results = cluster.filter(plugin, first);
        assertThat(List.of(results.get("a"), results.get("b"), results.get("c"))).allMatch(FilterResult::fits);
        assertThat(results.get("unlabelled").fits()).isFalse();

        Pod notSelf = pod("web-0", "ns", Map.of("app", "web"), affinity(term(Map.of("app", "cache"), ZONE)));
        assertThat(cluster.filter(plugin, notSelf).values()).noneMatch(FilterResult::fits);
    }

    @Test
    void anExistingPodCountsForAffinityOnlyIfItMatchesEveryTerm() {
        TestCluster cluster = threeNodesInTwoZones()
                .bound(pod("cache", "ns", Map.of("app", "cache"), p -> p), "a")
                .bound(pod("tier", "ns", Map.of("tier", "backend"), p -> p), "a")
                .bound(pod("both", "ns", Map.of("app", "cache", "tier", "backend"), p -> p), "c");
        Pod incoming = pod("web", "ns", Map.of("app", "web"),
                affinity(term(Map.of("app", "cache"), HOST), term(Map.of("tier", "backend"), HOST)));

        Map<String, FilterResult> results = cluster.filter(plugin, incoming);

        assertThat(results.get("a").fits()).as("two pods each matching one term").isFalse();
        assertThat(results.get("b").fits()).isFalse();
        assertThat(results.get("c").fits()).isTrue();
    }

    @Test
    void namespaceSelectorWidensTheTermToLabelledNamespaces() {
        TestCluster cluster = threeNodesInTwoZones()
                .bound(pod("web-a2", "team-a2", Map.of("app", "web"), p -> p), "a")
                .bound(pod("web-other", "other", Map.of("app", "web"), p -> p), "b");
        PodAffinityTerm teamA = new PodAffinityTermBuilder(term(Map.of("app", "web"), HOST))
                .withNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("team", "a")).build()).build();
        Pod incoming = pod("web", "team-a", Map.of("app", "web"), antiAffinity(teamA));

        Map<String, FilterResult> results = cluster.filter(plugin, incoming);

        assertThat(results.get("a").fits()).isFalse();
        assertThat(results.get("b").fits()).isTrue();
        assertThat(results.get("c").fits()).isTrue();

        PodAffinityTerm everyNamespace = new PodAffinityTermBuilder(term(Map.of("app", "web"), HOST))
                .withNewNamespaceSelector().endNamespaceSelector().build();
        Map<String, FilterResult> everywhere = cluster.filter(plugin, pod("web", "team-a", Map.of("app", "web"),
                antiAffinity(everyNamespace)));
        assertThat(everywhere.get("a").fits()).isFalse();
        assertThat(everywhere.get("b").fits()).isFalse();
        assertThat(everywhere.get("c").fits()).isTrue();
    }

    @Test
    void matchLabelKeysNarrowTheSelectorToTheIncomingPodsValue() {
        TestCluster cluster = threeNodesInTwoZones()
                .bound(pod("web-v1", "ns", Map.of("app", "web", "version", "1"), p -> p), "a")
                .bound(pod("web-v2", "ns", Map.of("app", "web", "version", "2"), p -> p), "b");
        PodAffinityTerm sameVersion = new PodAffinityTermBuilder(term(Map.of("app", "web"), HOST))
                .withMatchLabelKeys("version").build();

        Map<String, FilterResult> results = cluster.filter(plugin,
                pod("web-new", "ns", Map.of("app", "web", "version", "2"), antiAffinity(sameVersion)));

        assertThat(results.get("a").fits()).isTrue();
        assertThat(results.get("b").fits()).isFalse();
        assertThat(results.get("c").fits()).isTrue();
    }

    @Test
    void preferredTermsScoreByWeightBothWays() {
        TestCluster cluster = threeNodesInTwoZones()
                .bound(pod("cache", "ns", Map.of("app", "cache"), p -> p), "a")
                .bound(pod("noisy", "ns", Map.of("app", "noisy"), p -> p), "b");
        Pod incoming = pod("web", "ns", Map.of("app", "web"), p -> p.editSpec().withNewAffinity()
                .withNewPodAffinity().addToPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTermBuilder().withWeight(10)
                                .withPodAffinityTerm(term(Map.of("app", "cache"), HOST)).build())
                .endPodAffinity()
                .withNewPodAntiAffinity().addToPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTermBuilder().withWeight(5)
                                .withPodAffinityTerm(term(Map.of("app", "noisy"), HOST)).build())
                .endPodAntiAffinity().endAffinity().endSpec());

        // Raw 10, -5 and 0, scaled min to max.
        assertThat(cluster.score(plugin, incoming)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 100L, "b", 0L, "c", 33L));
    }

    @Test
    void existingPodsTermsAboutTheIncomingPodScoreToo() {
        TestCluster cluster = threeNodesInTwoZones()
                .bound(pod("wants-web", "ns", Map.of("app", "sidecar"), affinity(term(Map.of("app", "web"), HOST))), "a")
                .bound(pod("avoids-web", "ns", Map.of("app", "batch"), p -> p.editSpec().withNewAffinity()
                        .withNewPodAntiAffinity().addToPreferredDuringSchedulingIgnoredDuringExecution(
                                new WeightedPodAffinityTermBuilder().withWeight(3)
                                        .withPodAffinityTerm(term(Map.of("app", "web"), ZONE)).build())
                        .endPodAntiAffinity().endAffinity().endSpec()), "c");
        Pod incoming = pod("web", "ns", Map.of("app", "web"), p -> p);

        // a: +1 (the hard affinity weight), b: 0, c: -3 (its zone z2 holds only c).
        assertThat(cluster.score(plugin, incoming)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 100L, "b", 75L, "c", 0L));
        assertThat(cluster.score(plugin, pod("unrelated", "ns", Map.of("app", "db"), p -> p)).values()).containsOnly(0L);
    }

    private static TestCluster threeNodesInTwoZones() {
        return new TestCluster().node("a", Map.of(ZONE, "z1")).node("b", Map.of(ZONE, "z1")).node("c", Map.of(ZONE, "z2"));
    }

    static PodAffinityTerm term(Map<String, String> matchLabels, String topologyKey) {
        return new PodAffinityTermBuilder().withNewLabelSelector().withMatchLabels(matchLabels).endLabelSelector()
                .withTopologyKey(topologyKey).build();
    }

    static UnaryOperator<PodBuilder> affinity(PodAffinityTerm... terms) {
        return p -> p.editSpec().withNewAffinity().withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(terms).endPodAffinity().endAffinity().endSpec();
    }

    static UnaryOperator<PodBuilder> antiAffinity(PodAffinityTerm... terms) {
        return p -> p.editSpec().withNewAffinity().withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(terms).endPodAntiAffinity().endAffinity().endSpec();
    }
}
