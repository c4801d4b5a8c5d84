package dev.flotilla.scheduler.config;

import java.time.Duration;
import java.util.List;

/**
 * What the scheduler runs, from the configuration file after defaulting and validation: its
 * profiles (one per schedulerName), how many nodes to score (0 = adaptive), the pod back-off, and
 * the Lease it elects its leader on (null: the scheduler's own default).
 */
public record SchedulerConfiguration(List<ProfileConfiguration> profiles, int percentageOfNodesToScore,
        Duration podInitialBackoff, Duration podMaxBackoff, String leaseNamespace, String leaseName) {

    public SchedulerConfiguration {
        profiles = List.copyOf(profiles);
    }

    /** No file: upstream's defaults, one profile {@code default-scheduler} with the default plugins. */
    public static SchedulerConfiguration defaults() {
        try {
            return ConfigurationResolver.resolve(new KubeSchedulerConfiguration(KubeSchedulerConfiguration.API_VERSION,
                    KubeSchedulerConfiguration.KIND, null, null, null, null, null, null));
        } catch (InvalidSchedulerConfigurationException e) {
            throw new IllegalStateException("the default configuration is invalid: " + e.getMessage(), e);
        }
    }

    public List<String> schedulerNames() {
        return profiles.stream().map(ProfileConfiguration::schedulerName).toList();
    }
}
