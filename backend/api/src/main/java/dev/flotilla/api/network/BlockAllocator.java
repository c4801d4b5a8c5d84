package dev.flotilla.api.network;

import java.util.Optional;
import java.util.Set;

/**
 * Picks the next block of a pool that no node owns yet. The choice is only a proposal: the caller
 * claims it by creating the block object, and the API server's create-if-absent settles a race
 * between two nodes proposing the same block (the loser proposes again).
 *
 * @param pool      the pool's CIDR
 * @param blockSize the prefix length of its blocks (26 gives 64 addresses)
 */
public record BlockAllocator(Ipv4Cidr pool, int blockSize) {

    public BlockAllocator {
        pool.blockCount(blockSize);
    }

    /**
     * The first free block at or after {@code start} (wrapping around), or empty when every block is
     * taken. Nodes start from different places ({@link #startFor}) so that concurrent claims rarely
     * propose the same block.
     */
    public Optional<Ipv4Cidr> nextFree(Set<Ipv4Cidr> taken, long start) {
        long count = pool.blockCount(blockSize);
        for (long i = 0; i < count; i++) {
            Ipv4Cidr candidate = pool.block(blockSize, Math.floorMod(start + i, count));
            if (!taken.contains(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A stable starting block index for a node, spread over the pool by its name. */
    public long startFor(String nodeName) {
        return Math.floorMod(nodeName.hashCode(), pool.blockCount(blockSize));
    }

    public long blockCount() {
        return pool.blockCount(blockSize);
    }
}
