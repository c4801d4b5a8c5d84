package dev.flotilla.node.eviction;

/** What the kubelet knows of a pod, by uid, for container garbage collection. */
public interface PodStates {

    /**
     * Whether everything the runtime still has of the pod may go: it was evicted, or the API no longer
     * has it (as upstream's ShouldPodContentBeRemoved). False while the kubelet does not know yet.
     */
    boolean contentRemovable(String podUid);
}
