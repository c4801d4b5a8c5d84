package dev.flotilla.scheduler.config;

import static dev.flotilla.scheduler.config.ExtensionPoint.BIND;
import static dev.flotilla.scheduler.config.ExtensionPoint.FILTER;
import static dev.flotilla.scheduler.config.ExtensionPoint.POST_FILTER;
import static dev.flotilla.scheduler.config.ExtensionPoint.PRE_BIND;
import static dev.flotilla.scheduler.config.ExtensionPoint.PRE_ENQUEUE;
import static dev.flotilla.scheduler.config.ExtensionPoint.PRE_FILTER;
import static dev.flotilla.scheduler.config.ExtensionPoint.PRE_SCORE;
import static dev.flotilla.scheduler.config.ExtensionPoint.QUEUE_SORT;
import static dev.flotilla.scheduler.config.ExtensionPoint.RESERVE;
import static dev.flotilla.scheduler.config.ExtensionPoint.SCORE;

import dev.flotilla.scheduler.config.KubeSchedulerConfiguration.Plugin;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The in-tree plugins a profile may name, with the extension points each implements (as
 * upstream's registry), and upstream's default {@code multiPoint} set with its score weights.
 * {@link #INERT} plugins are upstream's that Flotilla accepts but whose work is built in
 * (queue sort by priority, scheduling gates, binding) or not done (the volume limit filter: the node
 * agent's volume types have no attach limit).
 */
public final class PluginRegistry {

    public static final String NODE_UNSCHEDULABLE = "NodeUnschedulable";
    public static final String NODE_NAME = "NodeName";
    public static final String TAINT_TOLERATION = "TaintToleration";
    public static final String NODE_AFFINITY = "NodeAffinity";
    public static final String NODE_PORTS = "NodePorts";
    public static final String NODE_RESOURCES_FIT = "NodeResourcesFit";
    public static final String VOLUME_BINDING = "VolumeBinding";
    public static final String VOLUME_RESTRICTIONS = "VolumeRestrictions";
    public static final String VOLUME_ZONE = "VolumeZone";
    public static final String POD_TOPOLOGY_SPREAD = "PodTopologySpread";
    public static final String INTER_POD_AFFINITY = "InterPodAffinity";
    public static final String DEFAULT_PREEMPTION = "DefaultPreemption";
    public static final String BALANCED_ALLOCATION = "NodeResourcesBalancedAllocation";
    public static final String IMAGE_LOCALITY = "ImageLocality";

    public static final Set<String> INERT = Set.of("SchedulingGates", "PrioritySort", "NodeVolumeLimits",
            "DefaultBinder");

    private static final Map<String, Set<ExtensionPoint>> POINTS = new LinkedHashMap<>();

    static {
        POINTS.put("SchedulingGates", EnumSet.of(PRE_ENQUEUE));
        POINTS.put("PrioritySort", EnumSet.of(QUEUE_SORT));
        POINTS.put(NODE_UNSCHEDULABLE, EnumSet.of(FILTER));
        POINTS.put(NODE_NAME, EnumSet.of(FILTER));
        POINTS.put(TAINT_TOLERATION, EnumSet.of(FILTER, PRE_SCORE, SCORE));
        POINTS.put(NODE_AFFINITY, EnumSet.of(PRE_FILTER, FILTER, PRE_SCORE, SCORE));
        POINTS.put(NODE_PORTS, EnumSet.of(PRE_FILTER, FILTER));
        POINTS.put(NODE_RESOURCES_FIT, EnumSet.of(PRE_FILTER, FILTER, PRE_SCORE, SCORE));
        POINTS.put(VOLUME_RESTRICTIONS, EnumSet.of(PRE_FILTER, FILTER));
        POINTS.put("NodeVolumeLimits", EnumSet.of(FILTER));
        POINTS.put(VOLUME_BINDING, EnumSet.of(PRE_FILTER, FILTER, RESERVE, PRE_BIND));
        POINTS.put(VOLUME_ZONE, EnumSet.of(PRE_FILTER, FILTER));
        POINTS.put(POD_TOPOLOGY_SPREAD, EnumSet.of(PRE_FILTER, FILTER, PRE_SCORE, SCORE));
        POINTS.put(INTER_POD_AFFINITY, EnumSet.of(PRE_FILTER, FILTER, PRE_SCORE, SCORE));
        POINTS.put(DEFAULT_PREEMPTION, EnumSet.of(POST_FILTER));
        POINTS.put(BALANCED_ALLOCATION, EnumSet.of(PRE_SCORE, SCORE));
        POINTS.put(IMAGE_LOCALITY, EnumSet.of(SCORE));
        POINTS.put("DefaultBinder", EnumSet.of(BIND));
    }

    /** Upstream's v1 default plugins, all through multiPoint, in upstream's order. */
    static final List<Plugin> DEFAULT_MULTI_POINT = List.of(
            new Plugin("SchedulingGates", null), new Plugin("PrioritySort", null), new Plugin(NODE_UNSCHEDULABLE, null),
            new Plugin(NODE_NAME, null), new Plugin(TAINT_TOLERATION, 3), new Plugin(NODE_AFFINITY, 2),
            new Plugin(NODE_PORTS, null), new Plugin(NODE_RESOURCES_FIT, 1), new Plugin(VOLUME_RESTRICTIONS, null),
            new Plugin("NodeVolumeLimits", null), new Plugin(VOLUME_BINDING, null), new Plugin(VOLUME_ZONE, null),
            new Plugin(POD_TOPOLOGY_SPREAD, 2), new Plugin(INTER_POD_AFFINITY, 2), new Plugin(DEFAULT_PREEMPTION, null),
            new Plugin(BALANCED_ALLOCATION, 1), new Plugin(IMAGE_LOCALITY, 1), new Plugin("DefaultBinder", null));

    private PluginRegistry() {
    }

    static boolean exists(String name) {
        return POINTS.containsKey(name);
    }

    static boolean implementsPoint(String name, ExtensionPoint point) {
        return POINTS.getOrDefault(name, Set.of()).contains(point);
    }

    /** The extension points {@code name} implements; empty for unknown names. */
    public static Set<ExtensionPoint> pointsOf(String name) {
        return POINTS.getOrDefault(name, Set.of());
    }
}
