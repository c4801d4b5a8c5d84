package dev.flotilla.controllers.hpa;

import java.util.List;

/**
 * Upstream's replica calculation for a Resource metric (pkg/controller/podautoscaler/replica_calculator.go):
 * the usage ratio over the ready pods with metrics, within {@link #TOLERANCE} no change; pods without
 * metrics count as using their whole request (or the target value) when scaling down and nothing when
 * scaling up; unready pods count as using nothing, and only when scaling up; a recomputed ratio that
 * flips direction or falls within the tolerance keeps the current count.
 */
final class ReplicaCalculator {

    static final double TOLERANCE = 0.1;

    /** One pod of the target: its usage when the metrics API has it (null otherwise) and its request. */
    record PodSample(String name, Long usage, long request, boolean ready) {
    }

    /** A target average utilization in percent of requests, or a target average value per pod. */
    record Target(boolean utilization, long value) {
        static Target utilization(int percent) {
            return new Target(true, percent);
        }

        static Target averageValue(long value) {
            return new Target(false, value);
        }
    }

    /**
     * The recommendation, the figure it came from (average utilization in percent, or average value)
     * and the average usage per ready pod with metrics (what status reports as averageValue).
     */
    record Recommendation(int replicas, long current, long averageUsage) {
    }

    static final class MetricsException extends Exception {
        MetricsException(String message) {
            super(message);
        }
    }

    private ReplicaCalculator() {
    }

    static Recommendation calculate(int currentReplicas, List<PodSample> pods, Target target, String resource)
            throws MetricsException {
        if (pods.isEmpty()) {
            throw new MetricsException("no pods returned by selector while calculating replica count");
        }
        if (target.utilization()) {
            for (PodSample pod : pods) {
                if (pod.request() <= 0) {
                    throw new MetricsException("missing request for " + resource + " in pod " + pod.name());
                }
            }
        }
        long usage = 0;
        long requests = 0;
        int withMetrics = 0;
        boolean missing = false;
        boolean unready = false;
        for (PodSample pod : pods) {
            if (pod.usage() == null) {
                missing = true;
            } else if (!pod.ready()) {
                unready = true;
            } else {
                usage += pod.usage();
                requests += pod.request();
                withMetrics++;
            }
        }
        if (withMetrics == 0) {
            throw new MetricsException("did not receive metrics for targeted pods (pods might be unready)");
        }
        double current = figure(target, usage, requests, withMetrics);
        double ratio = current / target.value();
        long shown = (long) current;
        long average = usage / withMetrics;
        if (!missing && !unready) {
            return new Recommendation(Math.abs(1 - ratio) <= TOLERANCE ? currentReplicas
                    : (int) Math.ceil(ratio * withMetrics), shown, average);
        }
        int count = withMetrics;
        for (PodSample pod : pods) {
            if (pod.usage() == null) {
                if (ratio < 1) {
                    usage += target.utilization() ? pod.request() : target.value();
                }
                requests += pod.request();
                count++;
            } else if (!pod.ready() && ratio > 1) {
                requests += pod.request();
                count++;
            }
        }
        double newRatio = figure(target, usage, requests, count) / target.value();
        if (Math.abs(1 - newRatio) <= TOLERANCE || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) {
            return new Recommendation(currentReplicas, shown, average);
        }
        int replicas = (int) Math.ceil(newRatio * count);
        if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) {
            return new Recommendation(currentReplicas, shown, average);
        }
        return new Recommendation(replicas, shown, average);
    }

    private static double figure(Target target, long usage, long requests, int count) {
        return target.utilization() ? (double) usage * 100 / requests : (double) usage / count;
    }
}
