package dev.flotilla.node.eviction;

import java.util.Map;

/** Reads what each pod on the node uses now, by pod uid (a pod without figures is absent). */
public interface PodUsages {

    Map<String, PodUsage> read();
}
