package dev.flotilla.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.scheduler.config.ProfileConfiguration.WeightedPlugin;
import dev.flotilla.scheduler.plugins.ScoringStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerConfigurationFileTest {

    private static final String HEADER = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";
    private static final List<String> DEFAULT_FILTERS = List.of("NodeUnschedulable", "NodeName", "TaintToleration",
            "NodeAffinity", "NodePorts", "NodeResourcesFit", "VolumeRestrictions", "VolumeBinding", "VolumeZone",
            "PodTopologySpread", "InterPodAffinity");
    private static final List<WeightedPlugin> DEFAULT_SCORES = List.of(new WeightedPlugin("TaintToleration", 3),
            new WeightedPlugin("NodeAffinity", 2), new WeightedPlugin("NodeResourcesFit", 1),
            new WeightedPlugin("PodTopologySpread", 2), new WeightedPlugin("InterPodAffinity", 2),
            new WeightedPlugin("NodeResourcesBalancedAllocation", 1), new WeightedPlugin("ImageLocality", 1));

    @Test
    void noProfilesMeansUpstreamsDefaultProfile() throws Exception {
        SchedulerConfiguration configuration = SchedulerConfigurationFile.parse(HEADER);
        assertThat(configuration.schedulerNames()).containsExactly("default-scheduler");
        ProfileConfiguration profile = configuration.profiles().get(0);
        assertThat(profile.filters()).isEqualTo(DEFAULT_FILTERS);
        assertThat(profile.scores()).isEqualTo(DEFAULT_SCORES);
        assertThat(profile.postFilters()).containsExactly("DefaultPreemption");
        assertThat(profile.settings()).isEqualTo(PluginSettings.defaults());
        assertThat(configuration.percentageOfNodesToScore()).isZero();
        assertThat(configuration.podInitialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(configuration.podMaxBackoff()).isEqualTo(Duration.ofSeconds(10));
        assertThat(configuration.leaseName()).as("the scheduler's own default Lease").isNull();
        assertThat(SchedulerConfiguration.defaults()).isEqualTo(configuration);
    }

    @Test
    void twoProfilesOneBinPackingWithItsOwnArgs() throws Exception {
        SchedulerConfiguration configuration = SchedulerConfigurationFile.parse(HEADER + """
                percentageOfNodesToScore: 40
                podInitialBackoffSeconds: 2
                podMaxBackoffSeconds: 30
                leaderElection:
                  leaderElect: true
                  leaseDuration: 15s
                  resourceNamespace: scheduling
                  resourceName: my-scheduler
                profiles:
                - schedulerName: default-scheduler
                - schedulerName: bin-packing-scheduler
                  percentageOfNodesToScore: 100
                  pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      apiVersion: kubescheduler.config.k8s.io/v1
                      kind: NodeResourcesFitArgs
                      scoringStrategy:
                        type: MostAllocated
                        resources:
                        - name: cpu
                          weight: 3
                        - name: memory
                  - name: InterPodAffinity
                    args:
                      hardPodAffinityWeight: 10
                """);
        assertThat(configuration.schedulerNames()).containsExactly("default-scheduler", "bin-packing-scheduler");
        assertThat(configuration.percentageOfNodesToScore()).isEqualTo(40);
        assertThat(configuration.podInitialBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(configuration.podMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(configuration.leaseNamespace()).isEqualTo("scheduling");
        assertThat(configuration.leaseName()).isEqualTo("my-scheduler");
        assertThat(configuration.profiles().get(0).settings()).isEqualTo(PluginSettings.defaults());
        ProfileConfiguration binPacking = configuration.profiles().get(1);
        assertThat(binPacking.percentageOfNodesToScore()).isEqualTo(100);
        assertThat(binPacking.settings().fitScoring()).isEqualTo(new ScoringStrategy(ScoringStrategy.Type.MostAllocated,
                List.of(new ScoringStrategy.ResourceWeight("cpu", 3), new ScoringStrategy.ResourceWeight("memory", 1)), null));
        assertThat(binPacking.settings().hardPodAffinityWeight()).isEqualTo(10);
        assertThat(binPacking.filters()).isEqualTo(DEFAULT_FILTERS);
    }

    /** The example in docs/scheduler.md. */
    @Test
    void theDocumentedExampleIsValid() throws Exception {
        SchedulerConfiguration configuration = SchedulerConfigurationFile.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                percentageOfNodesToScore: 0          # 0-100; 0 = adaptive (default)
                podInitialBackoffSeconds: 1          # default 1
                podMaxBackoffSeconds: 10             # default 10, at least the initial one
                profiles:
                - schedulerName: default-scheduler
                - schedulerName: bin-packing-scheduler
                  percentageOfNodesToScore: 100      # optional, overrides the global one
                  plugins:
                    score:
                      disabled:
                      - name: NodeResourcesBalancedAllocation
                      enabled:
                      - name: NodeResourcesFit
                        weight: 5
                  pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      scoringStrategy:
                        type: MostAllocated          # LeastAllocated (default) | MostAllocated | RequestedToCapacityRatio
                        resources:                   # default cpu and memory, weight 1 (1-100)
                        - {name: cpu, weight: 1}
                        - {name: memory, weight: 1}
                        # type: RequestedToCapacityRatio needs:
                        # requestedToCapacityRatio:
                        #   shape: [{utilization: 0, score: 0}, {utilization: 100, score: 10}]
                  - name: PodTopologySpread
                    args:
                      defaultingType: List           # System (default: hostname 3, zone 5, ScheduleAnyway) | List
                      defaultConstraints:
                      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}
                  - name: InterPodAffinity
                    args: {hardPodAffinityWeight: 1} # 0-100
                  - name: NodeAffinity
                    args:
                      addedAffinity:                 # ANDed with every pod's own node affinity in this profile
                        requiredDuringSchedulingIgnoredDuringExecution:
                          nodeSelectorTerms:
                          - matchExpressions: [{key: pool, operator: In, values: [batch]}]
                """);
        assertThat(configuration.schedulerNames()).containsExactly("default-scheduler", "bin-packing-scheduler");
        ProfileConfiguration binPacking = configuration.profiles().get(1);
        assertThat(binPacking.scores()).contains(new WeightedPlugin("NodeResourcesFit", 5))
                .doesNotContain(new WeightedPlugin("NodeResourcesBalancedAllocation", 1));
        assertThat(binPacking.settings().fitScoring().type()).isEqualTo(ScoringStrategy.Type.MostAllocated);
        assertThat(binPacking.settings().systemDefaultedSpread()).isFalse();
        assertThat(binPacking.settings().addedAffinity()).isNotNull();
    }

    @Test
    void pluginsAreDisabledAndReweightedPerExtensionPointAsUpstreamMergesThem() throws Exception {
        ProfileConfiguration profile = SchedulerConfigurationFile.parse(HEADER + """
                profiles:
                - plugins:
                    score:
                      disabled:
                      - name: '*'
                      enabled:
                      - name: NodeResourcesFit
                        weight: 5
                      - name: ImageLocality
                    filter:
                      disabled:
                      - name: NodePorts
                    multiPoint:
                      disabled:
                      - name: InterPodAffinity
                      enabled:
                      - name: TaintToleration
                        weight: 7
                """).profiles().get(0);
        assertThat(profile.filters()).containsExactly("NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity",
                "NodeResourcesFit", "VolumeRestrictions", "VolumeBinding", "VolumeZone", "PodTopologySpread");
        assertThat(profile.scores()).containsExactly(new WeightedPlugin("NodeResourcesFit", 5),
                new WeightedPlugin("ImageLocality", 1));

        ProfileConfiguration reweighted = SchedulerConfigurationFile.parse(HEADER + """
                profiles:
                - plugins:
                    multiPoint:
                      enabled:
                      - name: TaintToleration
                        weight: 7
                    score:
                      enabled:
                      - name: NodeAffinity
                        weight: 9
                """).profiles().get(0);
        // A plugin named at the point itself keeps that entry and moves first; a re-enabled multiPoint default keeps its place.
        assertThat(reweighted.scores()).containsExactly(new WeightedPlugin("NodeAffinity", 9),
                new WeightedPlugin("TaintToleration", 7), new WeightedPlugin("NodeResourcesFit", 1),
                new WeightedPlugin("PodTopologySpread", 2), new WeightedPlugin("InterPodAffinity", 2),
                new WeightedPlugin("NodeResourcesBalancedAllocation", 1), new WeightedPlugin("ImageLocality", 1));
    }

    @Test
    void listDefaultingReplacesTheSystemSpreadConstraints() throws Exception {
        PluginSettings settings = SchedulerConfigurationFile.parse(HEADER + """
                profiles:
                - pluginConfig:
                  - name: PodTopologySpread
                    args:
                      defaultingType: List
                      defaultConstraints:
                      - maxSkew: 1
                        topologyKey: topology.kubernetes.io/zone
                        whenUnsatisfiable: DoNotSchedule
                  - name: NodeAffinity
                    args:
                      addedAffinity:
                        requiredDuringSchedulingIgnoredDuringExecution:
                          nodeSelectorTerms:
                          - matchExpressions:
                            - key: pool
                              operator: In
                              values: [batch]
                """).profiles().get(0).settings();
        assertThat(settings.systemDefaultedSpread()).isFalse();
        assertThat(settings.defaultSpreadConstraints()).singleElement()
                .satisfies(c -> assertThat(c.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule"));
        assertThat(settings.addedAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())
                .hasSize(1);
    }

    @Test
    void invalidFieldsAreNamedAsUpstreamValidatesThem() {
        assertInvalid("""
                profiles:
                - schedulerName: a
                - schedulerName: a
                """, "profiles[1].schedulerName: Duplicate value: \"a\"");
        assertInvalid("""
                profiles:
                - schedulerName: a
                - plugins: {}
                """, "profiles[1].schedulerName: Required value");
        assertInvalid("percentageOfNodesToScore: 101\n",
                "percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]");
        assertInvalid("podInitialBackoffSeconds: 20\npercentageOfNodesToScore: -5\n", "[percentageOfNodesToScore: Invalid value: "
                + "-5: not in valid range [0-100], podMaxBackoffSeconds: Invalid value: 10: must be greater than or equal to "
                + "PodInitialBackoffSeconds]");
        assertInvalid("podInitialBackoffSeconds: 0\n", "podInitialBackoffSeconds: Invalid value: 0: must be greater than 0");
        assertInvalid("podMaxBackoffSeconds: 0\n",
                "podMaxBackoffSeconds: Invalid value: 0: must be greater than or equal to PodInitialBackoffSeconds");
        assertInvalid(fitArgs("type: Bogus"), "profiles[0].pluginConfig[0].args.scoringStrategy.type: Unsupported value: "
                + "\"Bogus\": supported values: \"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\"");
        assertInvalid(fitArgs("type: MostAllocated\n      resources:\n      - name: cpu\n        weight: 101"),
                "profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight: Invalid value: 101: "
                        + "resource weight of cpu not in valid range (0, 100]");
        assertInvalid(fitArgs("type: RequestedToCapacityRatio"),
                "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio: Required value: "
                        + "must be specified when type is RequestedToCapacityRatio");
        assertInvalid(fitArgs("""
                type: RequestedToCapacityRatio
                      requestedToCapacityRatio:
                        shape:
                        - {utilization: 50, score: 11}
                        - {utilization: 40, score: 0}"""),
                "[profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[1].utilization: "
                        + "Invalid value: 40: values must be sorted in increasing order, "
                        + "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[0].score: "
                        + "Invalid value: 11: not in valid range [0, 10]]");
        assertInvalid(fitArgs("type: MostAllocated\n      requestedToCapacityRatio: {shape: [{utilization: 0, score: 0}]}"),
                "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio: Forbidden: "
                        + "must be nil when type is not RequestedToCapacityRatio");
        assertInvalid("""
                profiles:
                - pluginConfig:
                  - name: PodTopologySpread
                    args:
                      defaultConstraints:
                      - maxSkew: 0
                        topologyKey: zone
                        whenUnsatisfiable: Sometimes
                """, "[profiles[0].pluginConfig[0].args.defaultingType: Invalid value: \"System\": when .defaultConstraints "
                + "are not empty, profiles[0].pluginConfig[0].args.defaultConstraints[0].maxSkew: Invalid value: 0: not in "
                + "valid range (0, inf), profiles[0].pluginConfig[0].args.defaultConstraints[0].whenUnsatisfiable: "
                + "Unsupported value: \"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"]");
        assertInvalid("""
                profiles:
                - pluginConfig:
                  - name: InterPodAffinity
                    args: {hardPodAffinityWeight: 101}
                  - name: InterPodAffinity
                """, "[profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: 101: not in valid range "
                + "[0, 100], profiles[0].pluginConfig[1]: Duplicate value: \"InterPodAffinity\"]");
        assertInvalid("""
                profiles:
                - pluginConfig:
                  - name: NodeAffinity
                    args:
                      addedAffinity:
                        requiredDuringSchedulingIgnoredDuringExecution:
                          nodeSelectorTerms:
                          - matchExpressions:
                            - {key: pool, operator: In}
                            - {key: pool, operator: Near, values: [x]}
                """, "[profiles[0].pluginConfig[0].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                + ".nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is "
                + "'In' or 'NotIn', profiles[0].pluginConfig[0].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                + ".nodeSelectorTerms[0].matchExpressions[1].operator: Unsupported value: \"Near\": supported values: \"In\", "
                + "\"NotIn\", \"Exists\", \"DoesNotExist\", \"Gt\", \"Lt\"]");
    }

    @Test
    void unknownFieldsAndKindsAreDecodingErrors() {
        assertInvalid("profiles:\n- schedulerName: a\n  plugin: {}\n", "strict decoding error: unknown field \"profiles[0].plugin\"");
        assertInvalid(fitArgs("type: MostAllocated\n      shape: []"),
                "strict decoding error: unknown field \"profiles[0].pluginConfig[0].args.scoringStrategy.shape\"");
        assertInvalid("percentageOfNodesToScore: lots\n", m -> m.startsWith("decoding \"percentageOfNodesToScore\": "));
        assertThatThrownBy(() -> SchedulerConfigurationFile.parse("apiVersion: kubescheduler.config.k8s.io/v1beta3\n"
                + "kind: KubeSchedulerConfiguration\n")).isInstanceOf(InvalidSchedulerConfigurationException.class)
                .hasMessageStartingWith("no kind \"KubeSchedulerConfiguration\" is registered for version "
                        + "\"kubescheduler.config.k8s.io/v1beta3\"");
        assertThatThrownBy(() -> SchedulerConfigurationFile.parse("profiles: []\n"))
                .hasMessage("Object 'Kind' is missing in the configuration");
        assertThatThrownBy(() -> SchedulerConfigurationFile.parse("profiles: [\n"))
                .hasMessageStartingWith("couldn't decode as KubeSchedulerConfiguration: ");
    }

    @Test
    void pluginsThatDoNotExistOrDoNotImplementThePointStopTheProfile() {
        assertInvalid("profiles:\n- plugins:\n    filter:\n      enabled:\n      - name: Foo\n",
                "initializing profiles: creating profile for scheduler name default-scheduler: FilterPlugin \"Foo\" does not exist");
        assertInvalid("profiles:\n- plugins:\n    filter:\n      enabled:\n      - name: ImageLocality\n",
                "initializing profiles: creating profile for scheduler name default-scheduler: "
                        + "plugin \"ImageLocality\" does not extend FilterPlugin plugin");
        assertInvalid("profiles:\n- plugins:\n    multiPoint:\n      enabled:\n      - name: Bar\n",
                "initializing profiles: creating profile for scheduler name default-scheduler: PreFilterPlugin \"Bar\" does not exist");
        assertInvalid("profiles:\n- plugins:\n    multiPoint:\n      disabled:\n      - name: '*'\n",
                "initializing profiles: creating profile for scheduler name default-scheduler: only one queue sort plugin "
                        + "required for profile with scheduler name \"default-scheduler\", but got 0");
        assertInvalid("""
                profiles:
                - schedulerName: a
                - schedulerName: b
                  plugins:
                    queueSort:
                      disabled:
                      - name: '*'
                """, m -> m.startsWith("profiles[1].plugins.queueSort: Invalid value: ") && m.endsWith(": must be the same for all profiles"));
    }

    @Test
    void aFileIsReadAndItsProblemsNameIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scheduler.yaml");
        Files.writeString(file, HEADER + "profiles:\n- schedulerName: only\n");
        assertThat(SchedulerConfigurationFile.read(file).schedulerNames()).containsExactly("only");
        Files.writeString(file, HEADER + "percentageOfNodesToScore: -1\n");
        assertThatThrownBy(() -> SchedulerConfigurationFile.read(file)).hasMessage("invalid scheduler configuration " + file
                + ": percentageOfNodesToScore: Invalid value: -1: not in valid range [0-100]");
        assertThatThrownBy(() -> SchedulerConfigurationFile.read(dir.resolve("missing.yaml")))
                .hasMessageStartingWith("failed to read scheduler configuration file \"" + dir.resolve("missing.yaml") + "\"");
    }

    private static String fitArgs(String strategy) {
        return """
                profiles:
                - pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      scoringStrategy:
                """ + "        " + strategy.replace("\n      ", "\n        ") + "\n";
    }

    private static void assertInvalid(String body, String message) {
        assertThatThrownBy(() -> SchedulerConfigurationFile.parse(HEADER + body))
                .isInstanceOf(InvalidSchedulerConfigurationException.class).hasMessage(message);
    }

    private static void assertInvalid(String body, java.util.function.Predicate<String> check) {
        assertThatThrownBy(() -> SchedulerConfigurationFile.parse(HEADER + body))
                .isInstanceOf(InvalidSchedulerConfigurationException.class)
                .satisfies(e -> assertThat(check.test(e.getMessage())).as(e.getMessage()).isTrue());
    }
}
