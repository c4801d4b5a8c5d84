package dev.flotilla.controllers.hpa;

import static dev.flotilla.controllers.hpa.ReplicaCalculator.Target.averageValue;
import static dev.flotilla.controllers.hpa.ReplicaCalculator.Target.utilization;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controllers.hpa.ReplicaCalculator.PodSample;
import dev.flotilla.controllers.hpa.ScalingBehavior.Policy;
import dev.flotilla.controllers.hpa.ScalingBehavior.Rules;
import dev.flotilla.controllers.hpa.ScalingBehavior.Timed;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HpaAlgorithmTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    private static PodSample pod(String name, Long usage, boolean ready) {
        return new PodSample(name, usage, 100, ready);
    }

    @Test
    void utilizationAboveTargetScalesUpByTheRatio() throws Exception {
        var r = ReplicaCalculator.calculate(2, List.of(pod("a", 90L, true), pod("b", 110L, true)), utilization(50), "cpu");
        assertThat(r.current()).as("average utilization in percent").isEqualTo(100);
        assertThat(r.replicas()).as("ratio 2 over 2 ready pods").isEqualTo(4);
    }

    @Test
    void withinTheToleranceNothingChanges() throws Exception {
        var r = ReplicaCalculator.calculate(3, List.of(pod("a", 54L, true), pod("b", 54L, true), pod("c", 54L, true)),
                utilization(50), "cpu");
        assertThat(r.replicas()).as("1.08 is within 0.1 of 1").isEqualTo(3);
    }

    @Test
    void missingMetricsCountAsFullRequestWhenScalingDownAndIdleWhenScalingUp() throws Exception {
        // down: 2 pods at 10 %, one without metrics counted at 100 %: (10+10+100)/300 = 40 % vs 50 % → 0.8*3 = 3
        var down = ReplicaCalculator.calculate(3, List.of(pod("a", 10L, true), pod("b", 10L, true), pod("c", null, true)),
                utilization(50), "cpu");
        assertThat(down.replicas()).isEqualTo(3);
        // up: 2 pods at 100 %, one missing counted as 0: 200/300 = 66 % vs 50 % → ceil(1.33*3) = 4
        var up = ReplicaCalculator.calculate(3, List.of(pod("a", 100L, true), pod("b", 100L, true), pod("c", null, true)),
                utilization(50), "cpu");
        assertThat(up.replicas()).isEqualTo(4);
        // unready pods count as idle when scaling up only
        var unready = ReplicaCalculator.calculate(2, List.of(pod("a", 100L, true), pod("b", 500L, false)),
                utilization(50), "cpu");
        assertThat(unready.replicas()).as("100/200 = 50 %: within tolerance").isEqualTo(2);
    }

    @Test
    void averageValueAndMissingRequests() throws Exception {
        var r = ReplicaCalculator.calculate(2, List.of(new PodSample("a", 300L, 0, true), new PodSample("b", 300L, 0, true)),
                averageValue(100), "memory");
        assertThat(r.replicas()).isEqualTo(6);
        assertThatThrownBy(() -> ReplicaCalculator.calculate(1, List.of(new PodSample("a", 1L, 0, true)), utilization(50), "cpu"))
                .hasMessage("missing request for cpu in pod a");
    }

    @Test
    void scaleDownWaitsForTheStabilizationWindow() {
        List<Timed> history = List.of(new Timed(NOW.minusSeconds(200), 5), new Timed(NOW.minusSeconds(400), 8));
        var r = ScalingBehavior.normalize(5, 2, 1, 10, ScalingBehavior.DEFAULT_UP, ScalingBehavior.DEFAULT_DOWN,
                history, List.of(), List.of(), NOW);
        assertThat(r.replicas()).as("the highest recommendation of the last 300 s").isEqualTo(5);
        var later = ScalingBehavior.normalize(5, 2, 1, 10, ScalingBehavior.DEFAULT_UP, ScalingBehavior.DEFAULT_DOWN,
                List.of(new Timed(NOW.minusSeconds(301), 5)), List.of(), List.of(), NOW);
        assertThat(later.replicas()).isEqualTo(2);
    }

    @Test
    void rateLimitsAndBoundsGiveUpstreamsReasons() {
        var fast = ScalingBehavior.normalize(2, 20, 1, 30, ScalingBehavior.DEFAULT_UP, ScalingBehavior.DEFAULT_DOWN,
                List.of(), List.of(), List.of(), NOW);
        assertThat(fast.replicas()).as("max(2+4, 2*2)").isEqualTo(6);
        assertThat(fast.reason()).isEqualTo("ScaleUpLimit");
        var tooMany = ScalingBehavior.normalize(2, 20, 1, 5, ScalingBehavior.DEFAULT_UP, ScalingBehavior.DEFAULT_DOWN,
                List.of(), List.of(), List.of(), NOW);
        assertThat(tooMany.replicas()).isEqualTo(5);
        assertThat(tooMany.reason()).isEqualTo("TooManyReplicas");
        Rules onePodPerMinute = new Rules(0, "Max", List.of(new Policy("Pods", 1, 60)));
        var slow = ScalingBehavior.normalize(5, 1, 1, 10, ScalingBehavior.DEFAULT_UP, onePodPerMinute, List.of(),
                List.of(), List.of(new Timed(NOW.minusSeconds(30), -1)), NOW);
        assertThat(slow.replicas()).as("one pod already removed in this minute").isEqualTo(5);
        assertThat(slow.reason()).isEqualTo("ScaleDownLimit");
        var within = ScalingBehavior.normalize(3, 4, 1, 10, ScalingBehavior.DEFAULT_UP, ScalingBehavior.DEFAULT_DOWN,
                List.of(), List.of(), List.of(), NOW);
        assertThat(within.replicas()).isEqualTo(4);
        assertThat(within.reason()).isEqualTo("DesiredWithinRange");
    }
}
