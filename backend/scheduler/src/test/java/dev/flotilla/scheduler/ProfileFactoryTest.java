package dev.flotilla.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.scheduler.config.ExtensionPoint;
import dev.flotilla.scheduler.config.PluginRegistry;
import dev.flotilla.scheduler.config.SchedulerConfiguration;
import dev.flotilla.scheduler.config.SchedulerConfigurationFile;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.Profile;
import dev.flotilla.scheduler.framework.ScorePlugin;
import dev.flotilla.scheduler.framework.WeightedScore;
import dev.flotilla.scheduler.plugins.DefaultPreemption;
import org.junit.jupiter.api.Test;

class ProfileFactoryTest {

    @Test
    void theDefaultProfileRunsUpstreamsPluginsInOrderWithTheirWeights() {
        Profile profile = ProfileFactory.standalone().build(SchedulerConfiguration.defaults().profiles().get(0));
        assertThat(profile.schedulerName()).isEqualTo("default-scheduler");
        // No volume informers here, so no VolumeRestrictions, VolumeBinding or VolumeZone.
        assertThat(profile.filters()).extracting(FilterPlugin::name).containsExactly("NodeUnschedulable", "NodeName",
                "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity");
        assertThat(profile.scores()).extracting(w -> w.plugin().name() + "=" + w.weight()).containsExactly("TaintToleration=3",
                "NodeAffinity=2", "NodeResourcesFit=1", "PodTopologySpread=2", "InterPodAffinity=2",
                "NodeResourcesBalancedAllocation=1", "ImageLocality=1");
        assertThat(profile.postFilters()).hasSize(1);
        // One instance per plugin, shared by its filter and its score.
        WeightedScore fitScore = profile.scores().get(2);
        assertThat(profile.filters().get(5)).isSameAs(fitScore.plugin());
    }

    /** The registry the configuration is checked against says what the built plugins really implement. */
    @Test
    void everyBuiltPluginImplementsTheFilterScoreAndPostFilterPointsTheRegistryLists() {
        Profile profile = ProfileFactory.standalone().build(SchedulerConfiguration.defaults().profiles().get(0));
        for (FilterPlugin filter : profile.filters()) {
            assertThat(PluginRegistry.pointsOf(filter.name())).as(filter.name()).contains(ExtensionPoint.FILTER);
            assertThat(filter instanceof ScorePlugin).as(filter.name() + " Score")
                    .isEqualTo(PluginRegistry.pointsOf(filter.name()).contains(ExtensionPoint.SCORE));
        }
        for (WeightedScore score : profile.scores()) {
            assertThat(PluginRegistry.pointsOf(score.plugin().name())).as(score.plugin().name()).contains(ExtensionPoint.SCORE);
            assertThat(score.plugin() instanceof FilterPlugin).as(score.plugin().name() + " Filter")
                    .isEqualTo(PluginRegistry.pointsOf(score.plugin().name()).contains(ExtensionPoint.FILTER));
        }
        assertThat(profile.postFilters()).singleElement().isInstanceOf(DefaultPreemption.class);
        assertThat(PluginRegistry.pointsOf(PluginRegistry.DEFAULT_PREEMPTION)).containsExactly(ExtensionPoint.POST_FILTER);
    }

    @Test
    void aConfiguredProfileGetsItsArgumentsAndOnlyItsEnabledScores() throws Exception {
        SchedulerConfiguration configuration = SchedulerConfigurationFile.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                profiles:
                - schedulerName: packer
                  plugins:
                    score:
                      disabled: [{name: '*'}]
                      enabled: [{name: NodeResourcesFit, weight: 4}]
                    postFilter:
                      disabled: [{name: DefaultPreemption}]
                """);
        Profile profile = ProfileFactory.standalone().build(configuration.profiles().get(0));
        assertThat(profile.scores()).extracting(w -> w.plugin().name() + "=" + w.weight()).containsExactly("NodeResourcesFit=4");
        assertThat(profile.postFilters()).isEmpty();
    }
}
