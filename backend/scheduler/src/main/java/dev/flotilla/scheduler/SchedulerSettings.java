package dev.flotilla.scheduler;

import java.time.Duration;
import java.util.UUID;

/**
 * How a scheduler instance runs (what it schedules comes from its configuration file): the Lease
 * it elects its leader on, its identity in that Lease and how many bindings it keeps in flight.
 */
public record SchedulerSettings(
        String leaseNamespace,
        String leaseName,
        String identity,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod,
        int maxBindingsInFlight) {

    public static SchedulerSettings defaults() {
        return new SchedulerSettings("kube-system", "flotilla-scheduler", hostName() + "_" + UUID.randomUUID(),
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), 64);
    }

    public SchedulerSettings withIdentity(String newIdentity) {
        return new SchedulerSettings(leaseNamespace, leaseName, newIdentity, leaseDuration, renewDeadline, retryPeriod,
                maxBindingsInFlight);
    }

    public SchedulerSettings withLease(String namespace, String name) {
        return new SchedulerSettings(namespace, name, identity, leaseDuration, renewDeadline, retryPeriod,
                maxBindingsInFlight);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
