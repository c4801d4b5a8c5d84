package dev.flotilla.scheduler.framework;

import java.util.List;

/**
 * The plugins one scheduler name runs: filters in order (a node stops at its first failure),
 * weighted scores, and PostFilters (preemption) tried in order when no node fits.
 */
public record Profile(String schedulerName, List<FilterPlugin> filters, List<WeightedScore> scores,
        List<PostFilterPlugin> postFilters) {
}
