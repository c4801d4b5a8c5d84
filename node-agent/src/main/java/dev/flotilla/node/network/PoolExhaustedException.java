package dev.flotilla.node.network;

/** No IP pool has a block left for this node: every block is owned by some node. */
public final class PoolExhaustedException extends RuntimeException {

    public PoolExhaustedException(String message) {
        super(message);
    }
}
