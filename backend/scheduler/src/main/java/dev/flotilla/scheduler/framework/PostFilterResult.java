package dev.flotilla.scheduler.framework;

import dev.flotilla.scheduler.cache.PodInfo;
import java.util.List;

/**
 * What a PostFilter decided: a node nominated for the pod with the pods to evict there, or none
 * ({@code nominatedNodeName} empty: clear any earlier nomination; null: leave it) with the
 * sentence that goes after the filter explanation.
 */
public record PostFilterResult(String nominatedNodeName, List<PodInfo> victims, String message) {

    public static PostFilterResult nominated(String nodeName, List<PodInfo> victims) {
        return new PostFilterResult(nodeName, List.copyOf(victims), "");
    }

    public static PostFilterResult failed(String nominatedNodeName, String message) {
        return new PostFilterResult(nominatedNodeName, List.of(), message);
    }

    public boolean nominates() {
        return nominatedNodeName != null && !nominatedNodeName.isEmpty();
    }
}
