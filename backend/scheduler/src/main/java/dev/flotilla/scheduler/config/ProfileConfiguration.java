package dev.flotilla.scheduler.config;

import java.util.List;

/**
 * One profile ready to be built: the scheduler name it serves, its own percentageOfNodesToScore
 * (null: the global one), the plugins of the points Flotilla runs in order (filters, whose
 * PreFilter runs with them; weighted scores, whose PreScore runs with them; PostFilters) and their
 * arguments.
 */
public record ProfileConfiguration(String schedulerName, Integer percentageOfNodesToScore, List<String> filters,
        List<WeightedPlugin> scores, List<String> postFilters, PluginSettings settings) {

    public record WeightedPlugin(String name, int weight) {
    }
}
