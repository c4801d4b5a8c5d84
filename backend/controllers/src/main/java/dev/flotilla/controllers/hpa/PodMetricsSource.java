package dev.flotilla.controllers.hpa;

import dev.flotilla.controllers.hpa.ReplicaCalculator.MetricsException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Where the autoscaler reads pods' resource usage: {@code metrics.k8s.io} in the cluster, a fake in unit tests. */
interface PodMetricsSource {

    /** A pod's usage of one resource summed over its containers, in milli-units (millicores, millibytes). */
    record PodUsage(long milli, Instant timestamp, Duration window) {
    }

    /** The usage of {@code resource} of the namespace's pods the metrics API has figures for, by pod name. */
    Map<String, PodUsage> usage(String namespace, String resource) throws MetricsException;
}
