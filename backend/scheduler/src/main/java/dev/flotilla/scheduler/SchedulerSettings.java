package dev.flotilla.scheduler;

import java.time.Duration;
import java.util.UUID;

/**
 * How a scheduler instance runs: the {@code spec.schedulerName} it serves, the Lease it elects its
 * leader on, its identity in that Lease, how many nodes it scores (0 = adaptive, as upstream) and
 * how many bindings it keeps in flight.
 */
public record SchedulerSettings(
        String schedulerName,
        String leaseNamespace,
        String leaseName,
        String identity,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod,
        int percentageOfNodesToScore,
        int maxBindingsInFlight) {

    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    public static SchedulerSettings defaults() {
        return new SchedulerSettings(DEFAULT_SCHEDULER_NAME, "kube-system", "flotilla-scheduler",
                hostName() + "_" + UUID.randomUUID(), Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(2), 0, 64);
    }

    public SchedulerSettings withIdentity(String newIdentity) {
        return new SchedulerSettings(schedulerName, leaseNamespace, leaseName, newIdentity, leaseDuration,
                renewDeadline, retryPeriod, percentageOfNodesToScore, maxBindingsInFlight);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
