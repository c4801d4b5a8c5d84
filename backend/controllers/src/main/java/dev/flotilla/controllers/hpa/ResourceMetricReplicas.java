package dev.flotilla.controllers.hpa;

import dev.flotilla.controllers.hpa.PodMetricsSource.PodUsage;
import dev.flotilla.controllers.hpa.ReplicaCalculator.MetricsException;
import dev.flotilla.controllers.hpa.ReplicaCalculator.PodSample;
import dev.flotilla.controllers.hpa.ReplicaCalculator.Recommendation;
import dev.flotilla.controllers.hpa.ReplicaCalculator.Target;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ResourceMetricSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The proposal of one {@code Resource} metric (cpu or memory, Utilization or AverageValue target), as
 * upstream's computeStatusForResourceMetric: the target's pods grouped (deleted and failed pods
 * ignored; pending pods, and for cpu pods not yet ready or whose sample predates readiness within
 * the 5 min initialization period, unready), their requests, then {@link ReplicaCalculator}.
 */
final class ResourceMetricReplicas {

    static final Duration CPU_INITIALIZATION_PERIOD = Duration.ofMinutes(5);
    static final Duration INITIAL_READINESS_DELAY = Duration.ofSeconds(30);

    /** A metric's replica proposal, its status entry, and its name for events ("cpu resource utilization ..."). */
    record Proposal(int replicas, MetricStatus status, String metricName) {
    }

    private ResourceMetricReplicas() {
    }

    static Proposal compute(int currentReplicas, ResourceMetricSource metric, List<Pod> pods,
            PodMetricsSource metrics, String namespace, Instant now) throws MetricsException {
        String resource = metric.getName();
        MetricTarget target = metric.getTarget();
        boolean utilization = target != null && "Utilization".equals(target.getType())
                && target.getAverageUtilization() != null;
        boolean averageValue = target != null && target.getAverageValue() != null && !utilization;
        if (!utilization && !averageValue) {
            throw new MetricsException("invalid resource metric source: neither an average utilization target nor "
                    + "an average value (usage) target was set");
        }
        String failure = utilization ? "failed to get " + resource + " utilization: "
                : "failed to get " + resource + " usage: ";
        try {
            List<PodSample> samples = samples(pods, metrics.usage(namespace, resource), resource, utilization, now);
            Target wanted = utilization ? Target.utilization(target.getAverageUtilization())
                    : Target.averageValue(Quantities.milli(target.getAverageValue()));
            Recommendation recommendation = ReplicaCalculator.calculate(currentReplicas, samples, wanted, resource);
            MetricValueStatusBuilder current = new MetricValueStatusBuilder()
                    .withAverageValue(Quantities.ofMilli(utilization ? recommendation.averageUsage()
                            : recommendation.current()));
            if (utilization) {
                current.withAverageUtilization((int) recommendation.current());
            }
            return new Proposal(recommendation.replicas(), status(resource, current.build()),
                    utilization ? resource + " resource utilization (percentage of request)" : resource + " resource");
        } catch (MetricsException e) {
            throw new MetricsException(failure + e.getMessage());
        }
    }

    private static MetricStatus status(String resource, MetricValueStatus current) {
        return new MetricStatusBuilder().withType("Resource").withNewResource().withName(resource)
                .withCurrent(current).endResource().build();
    }

    private static List<PodSample> samples(List<Pod> pods, Map<String, PodUsage> usage, String resource,
            boolean utilization, Instant now) throws MetricsException {
        if (pods.isEmpty()) {
            throw new MetricsException("no pods returned by selector while calculating replica count");
        }
        List<PodSample> samples = new ArrayList<>();
        for (Pod pod : pods) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (pod.getMetadata().getDeletionTimestamp() != null || "Failed".equals(phase)) {
                continue;
            }
            long request = request(pod, resource, utilization);
            PodUsage used = usage.get(pod.getMetadata().getName());
            String name = pod.getMetadata().getName();
            if ("Pending".equals(phase)) {
                samples.add(new PodSample(name, used == null ? 0L : used.milli(), request, false));
            } else if (used == null) {
                samples.add(new PodSample(name, null, request, true));
            } else {
                boolean ready = !"cpu".equals(resource) || readyForCpu(pod, used, now);
                samples.add(new PodSample(name, used.milli(), request, ready));
            }
        }
        return samples;
    }

    /** The pod's request of the resource over its containers; for a Utilization target every container needs one. */
    private static long request(Pod pod, String resource, boolean utilization) throws MetricsException {
        long total = 0;
        for (Container container : pod.getSpec().getContainers()) {
            Quantity request = container.getResources() == null || container.getResources().getRequests() == null
                    ? null : container.getResources().getRequests().get(resource);
            if (request == null) {
                if (utilization) {
                    throw new MetricsException("missing request for " + resource + " in container "
                            + container.getName() + " of Pod " + pod.getMetadata().getName());
                }
                continue;
            }
            total += Quantities.milli(request);
        }
        return total;
    }

    /** Upstream's cpu readiness: a sample taken before the pod turned ready, while it initializes, is not used. */
    private static boolean readyForCpu(Pod pod, PodUsage usage, Instant now) {
        PodCondition ready = pod.getStatus().getConditions() == null ? null : pod.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
        Instant started = parse(pod.getStatus().getStartTime());
        if (ready == null || started == null) {
            return false;
        }
        Instant transition = parse(ready.getLastTransitionTime());
        if (transition == null) {
            transition = started;
        }
        if (started.plus(CPU_INITIALIZATION_PERIOD).isAfter(now)) {
            return "True".equals(ready.getStatus()) && !usage.timestamp().isBefore(transition.plus(usage.window()));
        }
        return !("False".equals(ready.getStatus()) && started.plus(INITIAL_READINESS_DELAY).isAfter(transition));
    }

    private static Instant parse(String time) {
        try {
            return time == null ? null : Instant.parse(time);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
