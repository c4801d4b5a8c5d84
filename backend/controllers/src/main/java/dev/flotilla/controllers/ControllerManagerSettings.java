package dev.flotilla.controllers;

import dev.flotilla.controllers.endpoints.EndpointSliceController;
import dev.flotilla.controllers.hpa.HorizontalPodAutoscalerController;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Leader election, informer timing and per-controller settings. Defaults are upstream's: a 15 s lease
 * renewed within 10 s, retried every 2 s, on {@code kube-system/flotilla-controller-manager}; informers
 * resync every 10 min; at most 100 endpoints per EndpointSlice; pod GC every 20 s above 12,500
 * terminated pods; nodes unknown after 40 s without a heartbeat, checked every 5 s, evicted at 0.1
 * nodes/s; no CSR signing unless a CA is given; HPAs synced every 15 s.
 */
public record ControllerManagerSettings(String leaseNamespace, String leaseName, String identity,
        Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Duration resync,
        int maxEndpointsPerSlice, int terminatedPodGcThreshold, Duration podGcPeriod,
        NodeMonitoring nodeMonitoring, CsrSigning csrSigning, Duration hpaSyncPeriod) {

    /**
     * The CA the CSR signer signs with (upstream's {@code --cluster-signing-cert-file} and
     * {@code --cluster-signing-key-file}) and the longest certificate it issues
     * ({@code --cluster-signing-duration}, one year by default).
     */
    public record CsrSigning(Path certificate, Path key, Duration maximumDuration) {
    }

    /** Upstream's --node-monitor-grace-period, --node-monitor-period and --node-eviction-rate. */
    public record NodeMonitoring(Duration gracePeriod, Duration period, double evictionRate) {
    }

    public static ControllerManagerSettings defaults() {
        return new ControllerManagerSettings("kube-system", "flotilla-controller-manager", candidateName(),
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMinutes(10),
                EndpointSliceController.DEFAULT_MAX_ENDPOINTS_PER_SLICE, 12500, Duration.ofSeconds(20),
                new NodeMonitoring(Duration.ofSeconds(40), Duration.ofSeconds(5), 0.1), null,
                HorizontalPodAutoscalerController.DEFAULT_SYNC_PERIOD);
    }

    public ControllerManagerSettings withLease(Duration duration, Duration renew, Duration retry) {
        return new ControllerManagerSettings(leaseNamespace, leaseName, identity, duration, renew, retry, resync,
                maxEndpointsPerSlice, terminatedPodGcThreshold, podGcPeriod, nodeMonitoring, csrSigning,
                hpaSyncPeriod);
    }

    public ControllerManagerSettings withMaxEndpointsPerSlice(int max) {
        return new ControllerManagerSettings(leaseNamespace, leaseName, identity, leaseDuration, renewDeadline,
                retryPeriod, resync, max, terminatedPodGcThreshold, podGcPeriod, nodeMonitoring, csrSigning,
                hpaSyncPeriod);
    }

    /** Upstream's --terminated-pod-gc-threshold (0: never) and how often pod GC runs. */
    public ControllerManagerSettings withPodGc(int threshold, Duration period) {
        return new ControllerManagerSettings(leaseNamespace, leaseName, identity, leaseDuration, renewDeadline,
                retryPeriod, resync, maxEndpointsPerSlice, threshold, period, nodeMonitoring, csrSigning,
                hpaSyncPeriod);
    }

    public ControllerManagerSettings withNodeMonitoring(Duration gracePeriod, Duration period, double evictionRate) {
        return new ControllerManagerSettings(leaseNamespace, leaseName, identity, leaseDuration, renewDeadline,
                retryPeriod, resync, maxEndpointsPerSlice, terminatedPodGcThreshold, podGcPeriod,
                new NodeMonitoring(gracePeriod, period, evictionRate), csrSigning, hpaSyncPeriod);
    }

    /** Signs CSRs with the CA in these files; without it (the default) no CSR is signed. */
    public ControllerManagerSettings withCsrSigning(Path certificate, Path key, Duration maximumDuration) {
        return new ControllerManagerSettings(leaseNamespace, leaseName, identity, leaseDuration, renewDeadline,
                retryPeriod, resync, maxEndpointsPerSlice, terminatedPodGcThreshold, podGcPeriod, nodeMonitoring,
                new CsrSigning(certificate, key, maximumDuration), hpaSyncPeriod);
    }

    /** Upstream's --horizontal-pod-autoscaler-sync-period. */
    public ControllerManagerSettings withHpaSyncPeriod(Duration period) {
        return new ControllerManagerSettings(leaseNamespace, leaseName, identity, leaseDuration, renewDeadline,
                retryPeriod, resync, maxEndpointsPerSlice, terminatedPodGcThreshold, podGcPeriod, nodeMonitoring,
                csrSigning, period);
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
