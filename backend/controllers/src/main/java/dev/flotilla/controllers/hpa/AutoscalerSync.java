package dev.flotilla.controllers.hpa;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.hpa.ReplicaCalculator.MetricsException;
import dev.flotilla.controllers.hpa.ResourceMetricReplicas.Proposal;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One sync of one HPA, as upstream's reconcileAutoscaler: read the target's scale, compute each
 * metric's proposal and take the highest, apply the behavior (stabilization windows, rate policies,
 * min/maxReplicas), write the new scale, then the status, with upstream's conditions and events.
 * Nothing here throws for a bad HPA or target: the problem goes into conditions and events, and the
 * next periodic sync tries again.
 */
final class AutoscalerSync {

    /** Upstream's default when spec.metrics is empty: 80 % of the cpu request. */
    static final MetricSpec DEFAULT_METRIC = new MetricSpecBuilder().withType("Resource").withNewResource()
            .withName("cpu").withNewTarget().withType("Utilization").withAverageUtilization(80).endTarget()
            .endResource().build();

    private final KubernetesClient client;
    private final ScaleTargets targets;
    private final PodMetricsSource metrics;
    private final BiFunction<String, LabelSelector, List<Pod>> pods;
    private final EventRecorder events;
    private final AutoscalerHistory history;

    AutoscalerSync(KubernetesClient client, ScaleTargets targets, PodMetricsSource metrics,
            BiFunction<String, LabelSelector, List<Pod>> pods, EventRecorder events, AutoscalerHistory history) {
        this.client = client;
        this.targets = targets;
        this.metrics = metrics;
        this.pods = pods;
        this.events = events;
        this.history = history;
    }

    /** The outcome of the metrics: the highest proposal and its metric, the statuses, or the error. */
    private record MetricsOutcome(int replicas, String metricName, List<MetricStatus> statuses, String error) {
    }

    void sync(HorizontalPodAutoscaler hpa, Instant now) {
        String key = Keys.of(hpa);
        String namespace = hpa.getMetadata().getNamespace();
        HorizontalPodAutoscalerStatus old = hpa.getStatus() == null ? new HorizontalPodAutoscalerStatus()
                : hpa.getStatus();
        AutoscalerConditions conditions = new AutoscalerConditions(old.getConditions(), now);
        HorizontalPodAutoscalerStatusBuilder status = new HorizontalPodAutoscalerStatusBuilder(old)
                .withObservedGeneration(hpa.getMetadata().getGeneration());
        var target = hpa.getSpec().getScaleTargetRef();
        Scale scale;
        try {
            scale = targets.get(namespace, target);
        } catch (ScaleTargets.ScaleException e) {
            events.warning(hpa, "FailedGetScale", e.getMessage());
            conditions.set(AutoscalerConditions.ABLE_TO_SCALE, false, "FailedGetScale",
                    "the HPA controller was unable to get the target's current scale: " + e.getMessage());
            write(hpa, status.withConditions(conditions.list()).build());
            return;
        }
        conditions.set(AutoscalerConditions.ABLE_TO_SCALE, true, "SucceededGetScale",
                "the HPA controller was able to get the target's current scale");
        int current = scale.getSpec() == null || scale.getSpec().getReplicas() == null ? 0
                : scale.getSpec().getReplicas();
        history.recordInitial(key, current, now);
        int min = hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
        int max = hpa.getSpec().getMaxReplicas() == null ? 0 : hpa.getSpec().getMaxReplicas();
        status.withCurrentReplicas(current);

        int desired;
        String reason = "";
        List<MetricStatus> statuses = old.getCurrentMetrics();
        if (current == 0 && min != 0) {
            desired = 0;
            conditions.set(AutoscalerConditions.SCALING_ACTIVE, false, "ScalingDisabled",
                    "scaling is disabled since the replica count of the target is zero");
        } else if (current > max) {
            reason = "Current number of replicas above Spec.MaxReplicas";
            desired = max;
        } else if (current < min) {
            reason = "Current number of replicas below Spec.MinReplicas";
            desired = min;
        } else {
            MetricsOutcome outcome = computeMetrics(hpa, scale, current, conditions, now);
            statuses = outcome.statuses();
            if (outcome.error() != null) {
                write(hpa, status.withCurrentMetrics(statuses.isEmpty() ? null : statuses)
                        .withConditions(conditions.list()).build());
                events.warning(hpa, "FailedComputeMetricsReplicas", outcome.error());
                return;
            }
            desired = outcome.replicas();
            if (desired > current) {
                reason = outcome.metricName() + " above target";
            } else if (desired < current) {
                reason = "All metrics below target";
            }
            desired = normalize(hpa, key, current, desired, min, max, conditions, now);
        }

        boolean rescale = desired != current;
        if (rescale) {
            if (scale.getSpec() == null) {
                scale.setSpec(new io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleSpec());
            }
            scale.getSpec().setReplicas(desired);
            try {
                targets.update(namespace, target, scale);
            } catch (ScaleTargets.ScaleException e) {
                conditions.set(AutoscalerConditions.ABLE_TO_SCALE, false, "FailedUpdateScale",
                        "the HPA controller was unable to update the target scale: " + e.getMessage());
                events.warning(hpa, "FailedRescale", "New size: " + desired + "; reason: " + reason + "; error: "
                        + e.getMessage());
                write(hpa, status.withCurrentMetrics(emptyToNull(statuses)).withConditions(conditions.list()).build());
                return;
            }
            conditions.set(AutoscalerConditions.ABLE_TO_SCALE, true, "SucceededRescale",
                    "the HPA controller was able to update the target scale to " + desired);
            events.normal(hpa, "SuccessfulRescale", "New size: " + desired + "; reason: " + reason);
            history.scaled(key, current, desired, now, BehaviorRules.of(hpa).longestPeriod());
            status.withLastScaleTime(now.toString());
        } else {
            desired = current;
        }
        write(hpa, status.withDesiredReplicas(desired).withCurrentMetrics(emptyToNull(statuses))
                .withConditions(conditions.list()).build());
    }

    /**
     * Each metric's proposal; the highest wins. All metrics failing, or some failing while the valid
     * ones would scale down, is an error (upstream's rule: never scale down on partial information).
     */
    private MetricsOutcome computeMetrics(HorizontalPodAutoscaler hpa, Scale scale, int current,
            AutoscalerConditions conditions, Instant now) {
        List<MetricSpec> specs = hpa.getSpec().getMetrics() == null || hpa.getSpec().getMetrics().isEmpty()
                ? List.of(DEFAULT_METRIC) : hpa.getSpec().getMetrics();
        String selectorText = scale.getStatus() == null ? null : scale.getStatus().getSelector();
        if (selectorText == null || selectorText.isEmpty()) {
            events.warning(hpa, "SelectorRequired", "selector is required");
            conditions.set(AutoscalerConditions.SCALING_ACTIVE, false, "InvalidSelector",
                    "the HPA target's scale is missing a selector");
            return new MetricsOutcome(0, "", List.of(), "selector is required");
        }
        LabelSelector selector;
        try {
            selector = LabelSelector.parse(selectorText);
        } catch (RuntimeException e) {
            String message = "couldn't convert selector into a corresponding internal selector object: "
                    + e.getMessage();
            events.warning(hpa, "InvalidSelector", message);
            conditions.set(AutoscalerConditions.SCALING_ACTIVE, false, "InvalidSelector", message);
            return new MetricsOutcome(0, "", List.of(), message);
        }
        List<Pod> selected = pods.apply(hpa.getMetadata().getNamespace(), selector);
        List<MetricStatus> statuses = new ArrayList<>();
        int replicas = 0;
        String metricName = "";
        int invalid = 0;
        String firstError = null;
        for (MetricSpec spec : specs) {
            Proposal proposal;
            try {
                proposal = proposal(spec, current, selected, hpa.getMetadata().getNamespace(), now);
            } catch (MetricsException e) {
                String reason = "Resource".equals(spec.getType()) ? "FailedGetResourceMetric"
                        : "FailedGet" + spec.getType() + "Metric";
                events.warning(hpa, reason, e.getMessage());
                conditions.set(AutoscalerConditions.SCALING_ACTIVE, false, reason,
                        "the HPA was unable to compute the replica count: " + e.getMessage());
                invalid++;
                firstError = firstError == null ? e.getMessage() : firstError;
                statuses.add(new io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatusBuilder()
                        .withType("").build());
                continue;
            }
            statuses.add(proposal.status());
            if (proposal.replicas() > replicas) {
                replicas = proposal.replicas();
                metricName = proposal.metricName();
            }
        }
        if (invalid >= specs.size() || invalid > 0 && replicas < current) {
            return new MetricsOutcome(0, "", statuses, "invalid metrics (" + invalid + " invalid out of "
                    + specs.size() + "), first error is: " + firstError);
        }
        conditions.set(AutoscalerConditions.SCALING_ACTIVE, true, "ValidMetricFound",
                "the HPA was able to successfully calculate a replica count from " + metricName);
        return new MetricsOutcome(replicas, metricName, statuses, null);
    }

    private Proposal proposal(MetricSpec spec, int current, List<Pod> selected, String namespace, Instant now)
            throws MetricsException {
        if ("Resource".equals(spec.getType()) && spec.getResource() != null) {
            return ResourceMetricReplicas.compute(current, spec.getResource(), selected, metrics, namespace, now);
        }
        // Pods, Object, External and ContainerResource metrics need metric APIs Flotilla does not serve yet.
        throw new MetricsException("unable to get metric of type " + spec.getType()
                + ": only Resource metrics (metrics.k8s.io) are supported");
    }

    /** Upstream's normalizeDesiredReplicasWithBehaviors, with the conditions it explains itself by. */
    private int normalize(HorizontalPodAutoscaler hpa, String key, int current, int desired, int min, int max,
            AutoscalerConditions conditions, Instant now) {
        BehaviorRules rules = BehaviorRules.of(hpa);
        ScalingBehavior.Result result = ScalingBehavior.normalize(current, desired, min, max, rules.up(), rules.down(),
                history.recommendations(key), history.scaleUps(key), history.scaleDowns(key), now);
        history.recommend(key, desired, now, rules.longestWindow());
        if (result.stabilized() != desired) {
            boolean up = result.stabilized() < desired;
            conditions.set(AutoscalerConditions.ABLE_TO_SCALE, true, up ? "ScaleUpStabilized" : "ScaleDownStabilized",
                    up ? "recent recommendations were lower than current one, applying the lowest recent recommendation"
                            : "recent recommendations were higher than current one, applying the highest recent "
                                    + "recommendation");
        } else {
            conditions.set(AutoscalerConditions.ABLE_TO_SCALE, true, "ReadyForNewScale",
                    "recommended size matches current size");
        }
        conditions.set(AutoscalerConditions.SCALING_LIMITED, result.replicas() != result.stabilized(),
                result.reason(), result.message());
        return result.replicas();
    }

    private static List<MetricStatus> emptyToNull(List<MetricStatus> statuses) {
        return statuses == null || statuses.isEmpty() ? null : statuses;
    }

    private void write(HorizontalPodAutoscaler hpa, HorizontalPodAutoscalerStatus status) {
        if (hpa.getStatus() != null && Serialization.asJson(hpa.getStatus()).equals(Serialization.asJson(status))) {
            return;
        }
        HorizontalPodAutoscaler updated = new HorizontalPodAutoscalerBuilder(hpa).withStatus(status).build();
        try {
            client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(hpa.getMetadata().getNamespace())
                    .resource(updated).updateStatus();
        } catch (KubernetesClientException e) {
            // 409: changed meanwhile (its update event or the next periodic sync brings it back); 404: deleted.
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
        }
    }
}
