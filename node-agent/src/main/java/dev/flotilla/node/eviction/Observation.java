package dev.flotilla.node.eviction;

/** What one signal measured: how much is available of how much there is (bytes, inodes or pids). */
public record Observation(long available, long capacity) {
}
