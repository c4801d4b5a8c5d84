package dev.flotilla.node.eviction;

import java.util.Map;

/**
 * What one pod uses, per container: memory working set, and disk (writable layer plus logs);
 * {@code volumeBytes} is its emptyDir volumes on disk, {@code emptyDirs} the same per volume name.
 */
public record PodUsage(Map<String, Long> containerMemory, Map<String, Long> containerDisk, long volumeBytes,
                       Map<String, Long> emptyDirs) {

    public PodUsage {
        containerMemory = Map.copyOf(containerMemory);
        containerDisk = Map.copyOf(containerDisk);
        emptyDirs = Map.copyOf(emptyDirs);
    }

    /** Without a per-volume breakdown. */
    public PodUsage(Map<String, Long> containerMemory, Map<String, Long> containerDisk, long volumeBytes) {
        this(containerMemory, containerDisk, volumeBytes, Map.of());
    }

    public long memory() {
        return containerMemory.values().stream().mapToLong(Long::longValue).sum();
    }

    public long disk() {
        return volumeBytes + containerDisk.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Usage of {@code resource} (memory, ephemeral-storage; 0 for what is not measured per pod). */
    public long of(String resource) {
        return switch (resource) {
            case "memory" -> memory();
            case "ephemeral-storage" -> disk();
            default -> 0;
        };
    }

    public Map<String, Long> perContainer(String resource) {
        return switch (resource) {
            case "memory" -> containerMemory;
            case "ephemeral-storage" -> containerDisk;
            default -> Map.of();
        };
    }
}
