package dev.flotilla.scheduler;

import dev.flotilla.scheduler.framework.PodPlacement;

/**
 * What the pods of one {@code spec.schedulerName} are scheduled with: the profile's placement, and
 * the events and preemptions that name it.
 */
record SchedulingProfile(String schedulerName, PodPlacement placement, SchedulingOutcomes outcomes,
        VictimEviction eviction) {
}
