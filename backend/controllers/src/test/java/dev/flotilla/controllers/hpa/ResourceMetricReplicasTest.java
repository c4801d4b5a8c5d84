package dev.flotilla.controllers.hpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controllers.hpa.PodMetricsSource.PodUsage;
import dev.flotilla.controllers.hpa.ReplicaCalculator.MetricsException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ResourceMetricSource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ResourceMetricSourceBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceMetricReplicasTest {

    private static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");
    private static final ResourceMetricSource CPU_50 = new ResourceMetricSourceBuilder().withName("cpu")
            .withNewTarget().withType("Utilization").withAverageUtilization(50).endTarget().build();

    private static Pod pod(String name, String phase, String cpuRequest, Instant readySince) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .addNewContainer().withName("main").withNewResources()
                .addToRequests(cpuRequest == null ? Map.of() : Map.of("cpu", new Quantity(cpuRequest)))
                .endResources().endContainer().endSpec()
                .withNewStatus().withPhase(phase).withStartTime(readySince.minusSeconds(5).toString()).endStatus();
        if (readySince != null) {
            pod.editStatus().addNewCondition().withType("Ready").withStatus("True")
                    .withLastTransitionTime(readySince.toString()).endCondition().endStatus();
        }
        return pod.build();
    }

    private static PodMetricsSource usage(Map<String, Long> milli) {
        return (namespace, resource) -> {
            Map<String, PodUsage> result = new java.util.HashMap<>();
            milli.forEach((name, value) -> result.put(name, new PodUsage(value, NOW, Duration.ofSeconds(15))));
            return result;
        };
    }

    @Test
    void busyPodsProposeMoreReplicasAndReportTheirUtilization() throws Exception {
        Instant longAgo = NOW.minus(Duration.ofMinutes(10));
        var proposal = ResourceMetricReplicas.compute(2, CPU_50,
                List.of(pod("a", "Running", "20m", longAgo), pod("b", "Running", "20m", longAgo)),
                usage(Map.of("a", 20L, "b", 30L)), "default", NOW);
        assertThat(proposal.replicas()).as("125 % of 50 % over 2 pods").isEqualTo(5);
        assertThat(proposal.metricName()).isEqualTo("cpu resource utilization (percentage of request)");
        assertThat(proposal.status().getResource().getCurrent().getAverageUtilization()).isEqualTo(125);
        assertThat(proposal.status().getResource().getCurrent().getAverageValue()).isEqualTo(new Quantity("25m"));
    }

    @Test
    void deletedFailedPendingAndFreshlyReadyPodsAreNotCountedAsBusy() throws Exception {
        Instant longAgo = NOW.minus(Duration.ofMinutes(10));
        Pod deleted = new PodBuilder(pod("gone", "Running", "20m", longAgo)).editMetadata()
                .withDeletionTimestamp(NOW.toString()).endMetadata().build();
        // Ready 5 s ago with a 15 s window: its sample still covers the time before it was ready.
        Pod fresh = pod("fresh", "Running", "20m", NOW.minusSeconds(5));
        var proposal = ResourceMetricReplicas.compute(1, CPU_50, List.of(pod("a", "Running", "20m", longAgo), deleted,
                pod("failed", "Failed", "20m", longAgo), pod("pending", "Pending", "20m", longAgo), fresh),
                usage(Map.of("a", 20L, "gone", 1000L, "failed", 1000L, "fresh", 1000L)), "default", NOW);
        // a alone: 100 % → ratio 2; unready fresh and pending count as idle when scaling up: 20/60 → 33 %
        assertThat(proposal.replicas()).as("the recomputed ratio flips below 1, so no change").isEqualTo(1);
    }

    @Test
    void missingRequestsAndMetricsFailInUpstreamsWords() {
        Instant longAgo = NOW.minus(Duration.ofMinutes(10));
        assertThatThrownBy(() -> ResourceMetricReplicas.compute(1, CPU_50, List.of(pod("a", "Running", null, longAgo)),
                usage(Map.of("a", 10L)), "default", NOW)).isInstanceOf(MetricsException.class)
                .hasMessage("failed to get cpu utilization: missing request for cpu in container main of Pod a");
        assertThatThrownBy(() -> ResourceMetricReplicas.compute(1, CPU_50, List.of(), usage(Map.of()), "default", NOW))
                .hasMessage("failed to get cpu utilization: no pods returned by selector while calculating replica count");
        PodMetricsSource none = (namespace, resource) -> {
            throw new MetricsException("unable to get metrics for resource cpu: no metrics returned from resource "
                    + "metrics API");
        };
        assertThatThrownBy(() -> ResourceMetricReplicas.compute(1, CPU_50, List.of(pod("a", "Running", "20m", longAgo)),
                none, "default", NOW)).hasMessage("failed to get cpu utilization: unable to get metrics for resource "
                        + "cpu: no metrics returned from resource metrics API");
        ResourceMetricSource noTarget = new ResourceMetricSourceBuilder().withName("memory").withNewTarget()
                .withType("Utilization").endTarget().build();
        assertThatThrownBy(() -> ResourceMetricReplicas.compute(1, noTarget, List.of(), usage(Map.of()), "default", NOW))
                .hasMessageContaining("neither an average utilization target nor an average value");
    }

    @Test
    void averageValueTargetsCompareUsagePerPod() throws Exception {
        ResourceMetricSource memory = new ResourceMetricSourceBuilder().withName("memory").withNewTarget()
                .withType("AverageValue").withAverageValue(new Quantity("100Mi")).endTarget().build();
        long mebibyte = 1024L * 1024 * 1000;
        Instant longAgo = NOW.minus(Duration.ofMinutes(10));
        var proposal = ResourceMetricReplicas.compute(1, memory, List.of(pod("a", "Running", null, longAgo)),
                usage(Map.of("a", 300 * mebibyte)), "default", NOW);
        assertThat(proposal.replicas()).isEqualTo(3);
        assertThat(proposal.metricName()).isEqualTo("memory resource");
        assertThat(Quantities.milli(proposal.status().getResource().getCurrent().getAverageValue()))
                .isEqualTo(300 * mebibyte);
    }
}
