package dev.flotilla.controllers;

import dev.flotilla.controllers.endpoints.EndpointSliceController;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;

/**
 * Leader election and informer timing. Defaults are upstream's: a 15 s lease renewed within 10 s,
 * retried every 2 s, on {@code kube-system/flotilla-controller-manager}; informers resync every 10 min;
 * at most 100 endpoints per EndpointSlice; pod GC every 20 s above 12,500 terminated pods; nodes
 * checked every 5 s, unknown after 40 s, NoExecute-tainted at most 0.1 a second.
 */
public record ControllerManagerSettings(String leaseNamespace, String leaseName, String identity,
        Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Duration resync,
        int maxEndpointsPerSlice, int terminatedPodGcThreshold, Duration podGcPeriod,
        Duration nodeMonitorGracePeriod, Duration nodeMonitorPeriod, double nodeEvictionRate) {

    public static ControllerManagerSettings defaults() {
        return new ControllerManagerSettings("kube-system", "flotilla-controller-manager", candidateName(),
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMinutes(10),
                EndpointSliceController.DEFAULT_MAX_ENDPOINTS_PER_SLICE, 12500, Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(5), 0.1);
    }

    public ControllerManagerSettings withLease(Duration duration, Duration renew, Duration retry) {
        return new ControllerManagerSettings(leaseNamespace, leaseName, identity, duration, renew, retry, resync,
                maxEndpointsPerSlice, terminatedPodGcThreshold, podGcPeriod,
                nodeMonitorGracePeriod, nodeMonitorPeriod, nodeEvictionRate);
    }

    public ControllerManagerSettings withMaxEndpointsPerSlice(int max) {
        return new ControllerManagerSettings(leaseNamespace, leaseName, identity, leaseDuration, renewDeadline,
                retryPeriod, resync, max, terminatedPodGcThreshold, podGcPeriod, nodeMonitorGracePeriod,
                nodeMonitorPeriod, nodeEvictionRate);
    }

    /** Upstream's --terminated-pod-gc-threshold (0: never) and how often pod GC runs. */
    public ControllerManagerSettings withPodGc(int threshold, Duration period) {
        return new ControllerManagerSettings(leaseNamespace, leaseName, identity, leaseDuration, renewDeadline,
                retryPeriod, resync, maxEndpointsPerSlice, threshold, period, nodeMonitorGracePeriod,
                nodeMonitorPeriod, nodeEvictionRate);
    }

    /** Upstream's --node-monitor-grace-period, --node-monitor-period and --node-eviction-rate. */
    public ControllerManagerSettings withNodeMonitoring(Duration gracePeriod, Duration period, double evictionRate) {
        return new ControllerManagerSettings(leaseNamespace, leaseName, identity, leaseDuration, renewDeadline,
                retryPeriod, resync, maxEndpointsPerSlice, terminatedPodGcThreshold, podGcPeriod, gracePeriod, period,
                evictionRate);
    }

    /** {@code hostname_uuid}, as upstream names a candidate. */
    private static String candidateName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "_" + UUID.randomUUID();
    }
}
