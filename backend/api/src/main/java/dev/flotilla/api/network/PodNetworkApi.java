package dev.flotilla.api.network;

/**
 * Names of the pod-network IPAM API ({@code networking.flotilla.dev/v1}), shared by the API server
 * that serves it, the controller that releases blocks and the node agents that claim them.
 *
 * <p>An {@code IPPool} is a cluster-wide range pod addresses come from ({@code spec.cidr},
 * {@code spec.blockSize}); an {@code IPAMBlock} is one block of a pool owned by one node
 * ({@code spec.cidr}, {@code spec.node}, {@code spec.pool}). A block's name is derived from its CIDR
 * ({@link #blockName}), so the API server's create-if-absent on the name is what makes two nodes
 * never own the same block.
 */
public final class PodNetworkApi {

    public static final String GROUP = "networking.flotilla.dev";
    public static final String VERSION = "v1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String POOL_KIND = "IPPool";
    public static final String POOLS = "ippools";
    public static final String BLOCK_KIND = "IPAMBlock";
    public static final String BLOCKS = "ipamblocks";
    /** Label on every block naming the node that owns it, for selecting a node's blocks. */
    public static final String NODE_LABEL = GROUP + "/node";
    /** The pool the API server creates from its configuration (Calico's name for its default pool). */
    public static final String DEFAULT_POOL = "default-ipv4-ippool";
    public static final int DEFAULT_BLOCK_SIZE = 26;

    private PodNetworkApi() {
    }

    /** {@code 10-244-0-64-26} for {@code 10.244.0.64/26}: a valid object name that only this block has. */
    public static String blockName(Ipv4Cidr block) {
        return block.toString().replace('.', '-').replace('/', '-');
    }
}
