package dev.flotilla.node.eviction;

import java.util.Arrays;
import java.util.Optional;

/**
 * The eviction signals the agent observes, by upstream's names, each with the resource an eviction
 * for it reclaims (the word in "The node was low on resource: …") and the node condition it sets.
 */
public enum Signal {
    MEMORY_AVAILABLE("memory.available", "memory", "MemoryPressure"),
    NODEFS_AVAILABLE("nodefs.available", "ephemeral-storage", "DiskPressure"),
    NODEFS_INODES_FREE("nodefs.inodesFree", "inodes", "DiskPressure"),
    IMAGEFS_AVAILABLE("imagefs.available", "ephemeral-storage", "DiskPressure"),
    IMAGEFS_INODES_FREE("imagefs.inodesFree", "inodes", "DiskPressure"),
    PID_AVAILABLE("pid.available", "pids", "PIDPressure");

    public static final String MEMORY_PRESSURE = "MemoryPressure";
    public static final String DISK_PRESSURE = "DiskPressure";
    public static final String PID_PRESSURE = "PIDPressure";

    private final String key;
    private final String resource;
    private final String condition;

    Signal(String key, String resource, String condition) {
        this.key = key;
        this.resource = resource;
        this.condition = condition;
    }

    /** The signal's name in configuration and messages, e.g. {@code memory.available}. */
    public String key() {
        return key;
    }

    /** The resource an eviction for this signal reclaims: memory, ephemeral-storage, inodes or pids. */
    public String resource() {
        return resource;
    }

    /** MemoryPressure, DiskPressure or PIDPressure. */
    public String condition() {
        return condition;
    }

    /** Disk signals are first met by removing dead containers and unused images. */
    public boolean reclaimableOnNode() {
        return condition.equals(DISK_PRESSURE);
    }

    public static Optional<Signal> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    @Override
    public String toString() {
        return key;
    }
}
