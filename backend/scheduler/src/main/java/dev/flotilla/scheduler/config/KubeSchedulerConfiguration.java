package dev.flotilla.scheduler.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The configuration file as written, {@code kubescheduler.config.k8s.io/v1 KubeSchedulerConfiguration}:
 * the fields Flotilla applies. Upstream fields about the process rather than scheduling (client
 * connection, parallelism, profiling, bind addresses, the Lease's timings) are accepted and
 * ignored; any other field is an error, as upstream decodes strictly.
 */
@JsonIgnoreProperties({"parallelism", "clientConnection", "healthzBindAddress", "metricsBindAddress",
        "enableProfiling", "enableContentionProfiling", "delayCacheUntilActive"})
public record KubeSchedulerConfiguration(String apiVersion, String kind, Integer percentageOfNodesToScore,
        Long podInitialBackoffSeconds, Long podMaxBackoffSeconds, List<Profile> profiles, List<JsonNode> extenders,
        LeaderElection leaderElection) {

    /** The Lease a scheduler elects its leader on ({@code resourceNamespace/resourceName}). */
    @JsonIgnoreProperties({"leaderElect", "leaseDuration", "renewDeadline", "retryPeriod", "resourceLock"})
    public record LeaderElection(String resourceName, String resourceNamespace) {
    }

    public static final String API_VERSION = "kubescheduler.config.k8s.io/v1";
    public static final String KIND = "KubeSchedulerConfiguration";

    public record Profile(String schedulerName, Integer percentageOfNodesToScore, Plugins plugins,
            List<PluginConfig> pluginConfig) {
    }

    /** Plugins enabled and disabled per extension point; {@code multiPoint} covers every point a plugin implements. */
    public record Plugins(PluginSet preEnqueue, PluginSet queueSort, PluginSet preFilter, PluginSet filter,
            PluginSet postFilter, PluginSet preScore, PluginSet score, PluginSet reserve, PluginSet permit,
            PluginSet preBind, PluginSet bind, PluginSet postBind, PluginSet multiPoint) {

        PluginSet at(ExtensionPoint point) {
            PluginSet set = switch (point) {
                case PRE_ENQUEUE -> preEnqueue;
                case QUEUE_SORT -> queueSort;
                case PRE_FILTER -> preFilter;
                case FILTER -> filter;
                case POST_FILTER -> postFilter;
                case PRE_SCORE -> preScore;
                case SCORE -> score;
                case RESERVE -> reserve;
                case PERMIT -> permit;
                case PRE_BIND -> preBind;
                case BIND -> bind;
                case POST_BIND -> postBind;
            };
            return set == null ? PluginSet.EMPTY : set;
        }

        PluginSet multiPointOrEmpty() {
            return multiPoint == null ? PluginSet.EMPTY : multiPoint;
        }
    }

    public record PluginSet(List<Plugin> enabled, List<Plugin> disabled) {

        static final PluginSet EMPTY = new PluginSet(List.of(), List.of());

        public PluginSet {
            enabled = enabled == null ? List.of() : enabled;
            disabled = disabled == null ? List.of() : disabled;
        }
    }

    /** A plugin by name; {@code weight} counts for score plugins (unset or 0 means 1). */
    public record Plugin(String name, Integer weight) {
    }

    /** Arguments of one plugin, decoded by the plugin's name ({@code <name>Args}). */
    public record PluginConfig(String name, JsonNode args) {
    }
}
