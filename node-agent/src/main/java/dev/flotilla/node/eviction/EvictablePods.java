package dev.flotilla.node.eviction;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/** The kubelet's side of eviction: the pods it runs, and how one is evicted. */
public interface EvictablePods {

    /** The pods admitted to the node that are not terminal (nor being deleted). */
    List<Pod> active();

    /**
     * Stops the pod's containers within {@code gracePeriodSeconds}, then marks it Failed with reason
     * Evicted, {@code message} and a DisruptionTarget condition, and records an Evicted event carrying
     * {@code annotations}; false when it could not.
     */
    boolean evict(Pod pod, long gracePeriodSeconds, String message, Map<String, String> annotations);
}
