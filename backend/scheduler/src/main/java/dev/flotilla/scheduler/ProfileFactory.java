package dev.flotilla.scheduler;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.scheduler.config.PluginRegistry;
import dev.flotilla.scheduler.config.PluginSettings;
import dev.flotilla.scheduler.config.ProfileConfiguration;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.PostFilterPlugin;
import dev.flotilla.scheduler.framework.Profile;
import dev.flotilla.scheduler.framework.ScorePlugin;
import dev.flotilla.scheduler.framework.WeightedScore;
import dev.flotilla.scheduler.plugins.BalancedAllocation;
import dev.flotilla.scheduler.plugins.DefaultPreemption;
import dev.flotilla.scheduler.plugins.ImageLocality;
import dev.flotilla.scheduler.plugins.InterPodAffinity;
import dev.flotilla.scheduler.plugins.NodeAffinity;
import dev.flotilla.scheduler.plugins.NodeName;
import dev.flotilla.scheduler.plugins.NodePorts;
import dev.flotilla.scheduler.plugins.NodeResourcesFit;
import dev.flotilla.scheduler.plugins.NodeUnschedulable;
import dev.flotilla.scheduler.plugins.PodTopologySpread;
import dev.flotilla.scheduler.plugins.TaintToleration;
import dev.flotilla.scheduler.plugins.VolumeBinding;
import dev.flotilla.scheduler.plugins.VolumeRestrictions;
import dev.flotilla.scheduler.plugins.VolumeStores;
import dev.flotilla.scheduler.plugins.VolumeZone;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds a profile's plugins from its configuration: one instance per plugin name (shared by its
 * filter and score), with the profile's arguments, in the configured order and weights.
 */
final class ProfileFactory {

    private final Function<String, Map<String, String>> namespaceLabels;
    private final Function<Pod, LabelSelector> ownerSelector;
    private final Function<String, List<PodDisruptionBudget>> disruptionBudgets;
    private final VolumeBinding volumes;
    private final VolumeStores volumeStores;

    /**
     * {@code namespaceLabels}: a namespace's labels, for pod affinity terms with a namespaceSelector;
     * {@code ownerSelector}: the selector of a pod's Services and controller, for default spreading;
     * {@code disruptionBudgets}: a namespace's PodDisruptionBudgets, for preemption;
     * {@code volumes} and {@code volumeStores} (may be null: pods' claims are not looked at, and
     * VolumeBinding, VolumeRestrictions and VolumeZone are left out).
     */
    ProfileFactory(Function<String, Map<String, String>> namespaceLabels, Function<Pod, LabelSelector> ownerSelector,
            Function<String, List<PodDisruptionBudget>> disruptionBudgets, VolumeBinding volumes, VolumeStores volumeStores) {
        this.namespaceLabels = namespaceLabels;
        this.ownerSelector = ownerSelector;
        this.disruptionBudgets = disruptionBudgets;
        this.volumes = volumes;
        this.volumeStores = volumeStores;
    }

    /** Without informers: no namespace labels, owners, budgets or volumes (benchmarks, tests). */
    static ProfileFactory standalone() {
        return new ProfileFactory(namespace -> Map.of(), pod -> LabelSelector.everything(), namespace -> List.of(), null, null);
    }

    Profile build(ProfileConfiguration configuration) {
        Map<String, Object> instances = new HashMap<>();
        Function<String, Object> plugin = name -> instances.computeIfAbsent(name, n -> create(n, configuration.settings()));
        List<FilterPlugin> filters = new ArrayList<>();
        for (String name : configuration.filters()) {
            if (plugin.apply(name) instanceof FilterPlugin filter) {
                filters.add(filter);
            }
        }
        List<WeightedScore> scores = new ArrayList<>();
        for (ProfileConfiguration.WeightedPlugin weighted : configuration.scores()) {
            scores.add(new WeightedScore((ScorePlugin) plugin.apply(weighted.name()), weighted.weight()));
        }
        List<PostFilterPlugin> postFilters = new ArrayList<>();
        for (String name : configuration.postFilters()) {
            postFilters.add((PostFilterPlugin) plugin.apply(name));
        }
        return new Profile(configuration.schedulerName(), List.copyOf(filters), List.copyOf(scores), List.copyOf(postFilters));
    }

    /** The plugin named {@code name}; null for the volume plugins without volume informers. */
    private Object create(String name, PluginSettings settings) {
        return switch (name) {
            case PluginRegistry.NODE_UNSCHEDULABLE -> new NodeUnschedulable();
            case PluginRegistry.NODE_NAME -> new NodeName();
            case PluginRegistry.TAINT_TOLERATION -> new TaintToleration();
            case PluginRegistry.NODE_AFFINITY -> new NodeAffinity(settings.addedAffinity());
            case PluginRegistry.NODE_PORTS -> new NodePorts();
            case PluginRegistry.NODE_RESOURCES_FIT -> new NodeResourcesFit(settings.fitScoring());
            case PluginRegistry.VOLUME_RESTRICTIONS -> volumeStores == null ? null
                    : new VolumeRestrictions(volumeStores.claims());
            case PluginRegistry.VOLUME_BINDING -> volumes;
            case PluginRegistry.VOLUME_ZONE -> volumeStores == null ? null
                    : new VolumeZone(volumeStores.claims(), volumeStores.volumes(), volumeStores.classes());
            case PluginRegistry.POD_TOPOLOGY_SPREAD -> new PodTopologySpread(ownerSelector,
                    settings.defaultSpreadConstraints(), settings.systemDefaultedSpread());
            case PluginRegistry.INTER_POD_AFFINITY -> new InterPodAffinity(namespaceLabels, settings.hardPodAffinityWeight());
            case PluginRegistry.DEFAULT_PREEMPTION -> new DefaultPreemption(disruptionBudgets);
            case PluginRegistry.BALANCED_ALLOCATION -> new BalancedAllocation();
            case PluginRegistry.IMAGE_LOCALITY -> new ImageLocality();
            default -> throw new IllegalArgumentException("no plugin " + name);
        };
    }
}
