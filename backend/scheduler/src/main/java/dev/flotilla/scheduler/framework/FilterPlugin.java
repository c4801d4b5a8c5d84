package dev.flotilla.scheduler.framework;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;

/** A rule a node must pass for a pod to be placed there (upstream's Filter extension point). */
public interface FilterPlugin {

    String name();

    FilterResult filter(CycleState state, PodInfo pod, NodeInfo node);
}
