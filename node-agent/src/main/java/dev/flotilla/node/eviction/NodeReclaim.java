package dev.flotilla.node.eviction;

/** What the node can free without evicting a pod, for disk signals: dead containers, then unused images. */
public interface NodeReclaim {

    /** Frees what it can now; returns a line for the log saying what went. */
    String reclaimDisk();
}
