package dev.flotilla.node.eviction;

import static dev.flotilla.node.eviction.PodRankingTest.memory;
import static dev.flotilla.node.eviction.PodRankingTest.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvictionManagerTest {

    private static final long MI = 1024L * 1024;
    private static final long GI = 1024 * MI;

    private final Map<Signal, Observation> observed = new EnumMap<>(Signal.class);
    private final Map<String, PodUsage> usage = new HashMap<>();
    private final List<String> reclaims = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final FakePods pods = new FakePods();

    private EvictionManager manager(Map<String, String> options) {
        return new EvictionManager(EvictionSettings.fromOptions(options), () -> new EnumMap<>(observed), () -> usage,
                () -> {
                    reclaims.add("disk");
                    return "reclaimed";
                }, clock);
    }

    @Test
    void hardMemoryThresholdSetsTheConditionAndEvictsOnePodPerPassWithUpstreamsMessage() {
        EvictionManager manager = manager(Map.of());
        observed.put(Signal.MEMORY_AVAILABLE, new Observation(2 * GI, 8 * GI));
        pods.active.add(pod("quiet", 0, "1Gi"));
        pods.active.add(pod("hungry", 0, null));
        usage.put("uid-quiet", memory(100 * MI));
        usage.put("uid-hungry", memory(700 * MI));
        assertThat(manager.synchronize(pods)).isEmpty();
        assertThat(manager.nodeConditions()).isEmpty();

        observed.put(Signal.MEMORY_AVAILABLE, new Observation(90 * MI, 8 * GI));
        Optional<Pod> evicted = manager.synchronize(pods);
        assertThat(evicted).map(p -> p.getMetadata().getName()).contains("hungry");
        assertThat(manager.nodeConditions()).containsExactly("MemoryPressure");
        assertThat(pods.evictions).containsExactly("hungry grace=1: The node was low on resource: memory. "
                + "Threshold quantity: 100Mi, available: 90Mi. "
                + "Container main was using 700Mi, request is 0, has larger consumption of memory. | "
                + "{offending_containers=main, offending_containers_usage=700Mi, starved_resource=memory}");
        assertThat(reclaims).as("memory has no node-level reclaim").isEmpty();

        pods.active.removeIf(p -> p.getMetadata().getName().equals("hungry"));
        manager.synchronize(pods);
        assertThat(pods.evictions).hasSize(2).last().asString().startsWith("quiet grace=1: ")
                .doesNotContain("Container main");
    }

    @Test
    void conditionStaysForTheTransitionPeriodAndMinimumReclaimMustComeFree() {
        EvictionManager manager = manager(Map.of("eviction-hard", "memory.available<100Mi",
                "eviction-minimum-reclaim", "memory.available=50Mi", "eviction-pressure-transition-period", "1m"));
        observed.put(Signal.MEMORY_AVAILABLE, new Observation(90 * MI, 8 * GI));
        manager.synchronize(null);
        assertThat(manager.nodeConditions()).containsExactly("MemoryPressure");

        observed.put(Signal.MEMORY_AVAILABLE, new Observation(120 * MI, 8 * GI));
        clock.advance(Duration.ofMinutes(2));
        manager.synchronize(null);
        assertThat(manager.nodeConditions()).as("120Mi is above the threshold but not above threshold + minimum reclaim")
                .containsExactly("MemoryPressure");

        observed.put(Signal.MEMORY_AVAILABLE, new Observation(200 * MI, 8 * GI));
        clock.advance(Duration.ofSeconds(10));
        manager.synchronize(null);
        assertThat(manager.nodeConditions()).as("resolved, but within the transition period").containsExactly("MemoryPressure");
        clock.advance(Duration.ofSeconds(61));
        manager.synchronize(null);
        assertThat(manager.nodeConditions()).isEmpty();
    }

    @Test
    void softThresholdEvictsOnlyAfterItsGracePeriodWithThePodsOwnGrace() {
        EvictionManager manager = manager(Map.of("eviction-hard", "memory.available<10Mi",
                "eviction-soft", "memory.available<1Gi", "eviction-soft-grace-period", "memory.available=30s",
                "eviction-max-pod-grace-period", "20"));
        observed.put(Signal.MEMORY_AVAILABLE, new Observation(500 * MI, 8 * GI));
        Pod pod = new PodBuilder(pod("soft", 0, null)).editSpec().withTerminationGracePeriodSeconds(5L).endSpec().build();
        pods.active.add(pod);
        assertThat(manager.synchronize(pods)).isEmpty();
        assertThat(manager.nodeConditions()).as("the condition does not wait for the grace period").contains("MemoryPressure");
        clock.advance(Duration.ofSeconds(29));
        assertThat(manager.synchronize(pods)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(manager.synchronize(pods)).isPresent();
        assertThat(pods.evictions).singleElement().asString().startsWith("soft grace=5: The node was low on resource: memory. "
                + "Threshold quantity: 1Gi, available: 500Mi. ");
    }

    @Test
    void diskPressureReclaimsNodeResourcesFirstAndNeverEvictsCriticalPods() {
        EvictionManager manager = manager(Map.of("eviction-hard", "nodefs.available<10%"));
        observed.put(Signal.NODEFS_AVAILABLE, new Observation(5 * GI, 100 * GI));
        Pod staticPod = new PodBuilder(pod("static", 0, null)).editMetadata()
                .addToAnnotations("kubernetes.io/config.source", "file").endMetadata().build();
        Pod critical = pod("critical", CriticalPods.SYSTEM_CRITICAL_PRIORITY, null);
        pods.active.add(staticPod);
        pods.active.add(critical);
        assertThat(manager.synchronize(pods)).isEmpty();
        assertThat(reclaims).containsExactly("disk");
        assertThat(pods.evictions).isEmpty();
        assertThat(manager.nodeConditions()).containsExactly("DiskPressure");

        pods.active.add(pod("ordinary", 0, null));
        assertThat(manager.synchronize(pods)).map(p -> p.getMetadata().getName()).contains("ordinary");
        assertThat(pods.evictions).singleElement().asString().contains("The node was low on resource: ephemeral-storage. "
                + "Threshold quantity: 10Gi, available: 5Gi. ");
    }

    @Test
    void diskReclaimThatResolvesTheThresholdEvictsNothing() {
        EvictionManager manager = new EvictionManager(EvictionSettings.fromOptions(Map.of("eviction-hard", "nodefs.available<10%")),
                () -> new EnumMap<>(observed), () -> usage, () -> {
                    observed.put(Signal.NODEFS_AVAILABLE, new Observation(50 * GI, 100 * GI));
                    return "freed 45Gi";
                }, clock);
        observed.put(Signal.NODEFS_AVAILABLE, new Observation(5 * GI, 100 * GI));
        pods.active.add(pod("ordinary", 0, null));
        assertThat(manager.synchronize(pods)).isEmpty();
        assertThat(pods.evictions).isEmpty();
    }

    @Test
    void admissionUnderPressureAsUpstream() {
        EvictionManager manager = manager(Map.of("eviction-hard", "memory.available<100Mi,nodefs.available<10%,pid.available<100"));
        Pod bestEffort = pod("best-effort", 0, null);
        Pod burstable = pod("burstable", 0, "10Mi");
        Pod tolerating = new PodBuilder(bestEffort).editSpec().addNewToleration()
                .withKey("node.kubernetes.io/memory-pressure").withOperator("Exists").withEffect("NoSchedule").endToleration()
                .endSpec().build();
        Pod staticPod = new PodBuilder(bestEffort).editMetadata()
                .addToAnnotations("kubernetes.io/config.source", "file").endMetadata().build();
        observed.put(Signal.MEMORY_AVAILABLE, new Observation(GI, 8 * GI));
        observed.put(Signal.NODEFS_AVAILABLE, new Observation(50 * GI, 100 * GI));
        observed.put(Signal.PID_AVAILABLE, new Observation(30000, 32768));
        manager.synchronize(null);
        assertThat(manager.admit(bestEffort)).isEmpty();

        observed.put(Signal.MEMORY_AVAILABLE, new Observation(MI, 8 * GI));
        manager.synchronize(null);
        assertThat(manager.admit(bestEffort)).contains("The node had condition: [MemoryPressure]. ");
        assertThat(manager.admit(burstable)).isEmpty();
        assertThat(manager.admit(tolerating)).isEmpty();
        assertThat(manager.admit(staticPod)).isEmpty();

        observed.put(Signal.NODEFS_AVAILABLE, new Observation(GI, 100 * GI));
        manager.synchronize(null);
        assertThat(manager.admit(burstable)).contains("The node had condition: [MemoryPressure DiskPressure]. ");
        assertThat(manager.admit(tolerating)).isPresent();

        observed.put(Signal.MEMORY_AVAILABLE, new Observation(GI, 8 * GI));
        observed.put(Signal.NODEFS_AVAILABLE, new Observation(50 * GI, 100 * GI));
        observed.put(Signal.PID_AVAILABLE, new Observation(50, 32768));
        clock.advance(Duration.ofMinutes(6));
        manager.synchronize(null);
        assertThat(manager.nodeConditions()).containsExactly("PIDPressure");
        assertThat(manager.admit(burstable)).contains("The node had condition: [PIDPressure]. ");
    }

    @Test
    void aSignalNotObservedIsNeverMet() {
        EvictionManager manager = manager(Map.of());
        manager.synchronize(pods);
        assertThat(manager.nodeConditions()).isEmpty();
        assertThat(pods.evictions).isEmpty();
    }

    private static final class FakePods implements EvictablePods {
        final List<Pod> active = new ArrayList<>();
        final List<String> evictions = new ArrayList<>();

        @Override
        public List<Pod> active() {
            return List.copyOf(active);
        }

        @Override
        public boolean evict(Pod pod, long gracePeriodSeconds, String message, Map<String, String> annotations) {
            evictions.add(pod.getMetadata().getName() + " grace=" + gracePeriodSeconds + ": " + message + "| " + annotations);
            return true;
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
