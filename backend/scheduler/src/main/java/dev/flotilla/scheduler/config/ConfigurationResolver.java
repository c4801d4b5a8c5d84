package dev.flotilla.scheduler.config;

import dev.flotilla.api.status.FieldError;
import dev.flotilla.scheduler.config.KubeSchedulerConfiguration.Plugin;
import dev.flotilla.scheduler.config.KubeSchedulerConfiguration.PluginSet;
import dev.flotilla.scheduler.config.KubeSchedulerConfiguration.Profile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * From the decoded file to what the scheduler runs, in upstream's order: defaults (one profile
 * {@code default-scheduler} when there are none, back-off 1 s / 10 s), validation collecting every
 * field error ({@code profiles[1].schedulerName: Duplicate value: "x"}), then each profile's
 * plugins per extension point (whose errors upstream reports when it builds the profiles).
 */
final class ConfigurationResolver {

    static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    private ConfigurationResolver() {
    }

    static SchedulerConfiguration resolve(KubeSchedulerConfiguration document) throws InvalidSchedulerConfigurationException {
        List<Object> errors = new ArrayList<>();
        List<Profile> profiles = document.profiles() == null || document.profiles().isEmpty()
                ? List.of(new Profile(null, null, null, null)) : document.profiles();
        if (profiles.size() == 1 && profiles.get(0).schedulerName() == null) {
            Profile only = profiles.get(0);
            profiles = List.of(new Profile(DEFAULT_SCHEDULER_NAME, only.percentageOfNodesToScore(), only.plugins(),
                    only.pluginConfig()));
        }
        if (document.extenders() != null && !document.extenders().isEmpty()) {
            errors.add(FieldError.forbidden("extenders", "scheduler extenders are not supported"));
        }
        List<PluginSettings> settings = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < profiles.size(); i++) {
            Profile profile = profiles.get(i);
            String path = "profiles[" + i + "]";
            String name = profile.schedulerName() == null ? "" : profile.schedulerName();
            if (name.isEmpty()) {
                errors.add(FieldError.required(path + ".schedulerName", ""));
            }
            percentage(errors, path + ".percentageOfNodesToScore", profile.percentageOfNodesToScore());
            settings.add(new PluginArgsResolver(errors).resolve(path,
                    profile.pluginConfig() == null ? List.of() : profile.pluginConfig()));
            if (names.containsKey(name)) {
                errors.add(new FieldError(path + ".schedulerName", FieldError.Type.DUPLICATE, name, null));
            }
            names.put(name, i);
        }
        commonQueueSort(errors, profiles);
        percentage(errors, "percentageOfNodesToScore", document.percentageOfNodesToScore());
        long initialBackoff = document.podInitialBackoffSeconds() == null ? 1 : document.podInitialBackoffSeconds();
        long maxBackoff = document.podMaxBackoffSeconds() == null ? 10 : document.podMaxBackoffSeconds();
        if (initialBackoff <= 0) {
            errors.add(FieldError.invalid("podInitialBackoffSeconds", initialBackoff, "must be greater than 0"));
        }
        if (maxBackoff < initialBackoff) {
            errors.add(FieldError.invalid("podMaxBackoffSeconds", maxBackoff,
                    "must be greater than or equal to PodInitialBackoffSeconds"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidSchedulerConfigurationException(aggregate(errors));
        }
        List<ProfileConfiguration> resolved = new ArrayList<>();
        for (int i = 0; i < profiles.size(); i++) {
            resolved.add(build(profiles.get(i), settings.get(i)));
        }
        KubeSchedulerConfiguration.LeaderElection lease = document.leaderElection();
        return new SchedulerConfiguration(resolved,
                document.percentageOfNodesToScore() == null ? 0 : document.percentageOfNodesToScore(),
                Duration.ofSeconds(initialBackoff), Duration.ofSeconds(maxBackoff),
                lease == null || blank(lease.resourceNamespace()) ? null : lease.resourceNamespace(),
                lease == null || blank(lease.resourceName()) ? null : lease.resourceName());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static void percentage(List<Object> errors, String path, Integer value) {
        if (value != null && (value < 0 || value > 100)) {
            errors.add(FieldError.invalid(path, value, "not in valid range [0-100]"));
        }
    }

    /** As upstream, every profile must sort the queue the same way (there is one queue). */
    private static void commonQueueSort(List<Object> errors, List<Profile> profiles) {
        PluginSet first = queueSort(profiles.get(0));
        if (first.enabled().size() > 1) {
            errors.add(FieldError.invalid("profiles[0].plugins.queueSort.Enabled", first.enabled().size(),
                    "only one queue sort plugin can be enabled"));
        }
        for (int i = 1; i < profiles.size(); i++) {
            if (!Objects.equals(first, queueSort(profiles.get(i)))) {
                errors.add(new FieldError("profiles[" + i + "].plugins.queueSort", FieldError.Type.INVALID,
                        new FieldError.GoValue(String.valueOf(queueSort(profiles.get(i)))), "must be the same for all profiles"));
            }
        }
    }

    private static PluginSet queueSort(Profile profile) {
        return profile.plugins() == null ? PluginSet.EMPTY : profile.plugins().at(ExtensionPoint.QUEUE_SORT);
    }

    private static ProfileConfiguration build(Profile profile, PluginSettings settings)
            throws InvalidSchedulerConfigurationException {
        Map<ExtensionPoint, List<Plugin>> points;
        try {
            points = PluginSetResolver.resolve(profile.plugins());
        } catch (PluginSetResolver.PluginSetException e) {
            throw new InvalidSchedulerConfigurationException(profileError(profile, e.getMessage()));
        }
        if (points.get(ExtensionPoint.QUEUE_SORT).size() != 1) {
            throw new InvalidSchedulerConfigurationException(profileError(profile, "only one queue sort plugin required for "
                    + "profile with scheduler name \"" + profile.schedulerName() + "\", but got "
                    + points.get(ExtensionPoint.QUEUE_SORT).size()));
        }
        if (points.get(ExtensionPoint.BIND).isEmpty()) {
            throw new InvalidSchedulerConfigurationException(profileError(profile,
                    "at least one bind plugin is needed for profile with scheduler name \"" + profile.schedulerName() + "\""));
        }
        List<ProfileConfiguration.WeightedPlugin> scores = points.get(ExtensionPoint.SCORE).stream()
                .filter(p -> !PluginRegistry.INERT.contains(p.name()))
                .map(p -> new ProfileConfiguration.WeightedPlugin(p.name(), PluginSetResolver.weightOf(p))).toList();
        return new ProfileConfiguration(profile.schedulerName(), profile.percentageOfNodesToScore(),
                active(points.get(ExtensionPoint.FILTER)), scores, active(points.get(ExtensionPoint.POST_FILTER)), settings);
    }

    private static List<String> active(List<Plugin> plugins) {
        return plugins.stream().map(Plugin::name).filter(name -> !PluginRegistry.INERT.contains(name)).toList();
    }

    private static String profileError(Profile profile, String message) {
        return "initializing profiles: creating profile for scheduler name " + profile.schedulerName() + ": " + message;
    }

    /** Upstream's aggregate error: one error as it is, several as {@code [a, b]}. */
    static String aggregate(List<Object> errors) {
        if (errors.size() == 1) {
            return String.valueOf(errors.get(0));
        }
        return "[" + String.join(", ", errors.stream().map(String::valueOf).toList()) + "]";
    }
}
