package dev.flotilla.scheduler.framework;

import dev.flotilla.scheduler.cache.PodInfo;

/**
 * A check of the pod alone, before any node is filtered (upstream's PreFilter extension point): a
 * rejection makes every node fail with one message, {@code 0/3 nodes are available: <reason>.}
 */
public interface PreFilterPlugin {

    FilterResult preFilter(PodInfo pod);
}
