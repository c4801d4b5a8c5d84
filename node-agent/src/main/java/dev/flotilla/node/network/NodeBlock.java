package dev.flotilla.node.network;

import dev.flotilla.api.network.Ipv4Cidr;

/**
 * One IPAM block this node owns, with the pool it came from. Pods get addresses from the block;
 * the pool's mask goes on their interface, so that every address of the pool is reached through
 * the node (and is not masqueraded), while addresses outside every pool are.
 */
public record NodeBlock(String name, Ipv4Cidr cidr, String pool, Ipv4Cidr poolCidr) {

    /**
     * The node's own address in the block: the first one, put on the host side of each pod's veth
     * and used by pods as their gateway (so it is the same in every pod of the block).
     */
    public long gateway() {
        return cidr.address(0);
    }

    /** The first address pods get. */
    public long firstPodAddress() {
        return cidr.address(1);
    }

    /** The last address pods get: the block's last address is kept back, being the pool's broadcast address for the last block. */
    public long lastPodAddress() {
        return cidr.lastAddress() - 1;
    }

    public long podAddressCount() {
        return lastPodAddress() - firstPodAddress() + 1;
    }
}
