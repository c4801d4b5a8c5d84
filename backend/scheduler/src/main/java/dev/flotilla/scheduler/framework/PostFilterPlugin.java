package dev.flotilla.scheduler.framework;

import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import java.util.List;

/**
 * Runs after no node passed the filters (upstream's PostFilter), e.g. preemption: may nominate a
 * node and name pods to evict from it. {@code placement} re-runs the profile's filters on
 * hypothetical node states.
 */
public interface PostFilterPlugin {

    PostFilterResult postFilter(PodInfo pod, Diagnosis diagnosis, List<NodeInfo> nodes, PodPlacement placement);
}
