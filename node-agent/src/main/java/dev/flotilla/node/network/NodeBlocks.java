package dev.flotilla.node.network;

import dev.flotilla.api.network.BlockAllocator;
import dev.flotilla.api.network.Ipv4Cidr;
import dev.flotilla.api.network.PodNetworkApi;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPAM blocks one node owns, claimed from the control plane's IP pools. A claim proposes a free
 * block ({@link BlockAllocator}) and creates the {@code IPAMBlock} object named after its CIDR; the
 * API server creates a name only once, so when another node claimed the same block first the create
 * answers 409 and the next free block is tried. Nothing else is needed for two nodes never to share
 * a block, however many claim at once or on however many API servers.
 */
public final class NodeBlocks {

    private static final Logger LOG = LoggerFactory.getLogger(NodeBlocks.class);
    static final ResourceDefinitionContext POOLS = context(PodNetworkApi.POOL_KIND, PodNetworkApi.POOLS);
    static final ResourceDefinitionContext BLOCKS = context(PodNetworkApi.BLOCK_KIND, PodNetworkApi.BLOCKS);

    private final KubernetesClient client;
    private final String nodeName;

    public NodeBlocks(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(PodNetworkApi.GROUP)
                .withVersion(PodNetworkApi.VERSION).withKind(kind).withPlural(plural).withNamespaced(false).build();
    }

    /** A pool as its object says: name, CIDR, block size and whether traffic leaving it is masqueraded. */
    public record Pool(String name, Ipv4Cidr cidr, int blockSize, boolean natOutgoing) {
    }

    public List<Pool> pools() {
        List<Pool> pools = new ArrayList<>();
        for (GenericKubernetesResource pool : client.genericKubernetesResources(POOLS).list().getItems()) {
            Map<String, Object> spec = spec(pool);
            try {
                Ipv4Cidr cidr = Ipv4Cidr.parse(String.valueOf(spec.get("cidr")));
                int blockSize = spec.get("blockSize") instanceof Number n ? n.intValue()
                        : PodNetworkApi.DEFAULT_BLOCK_SIZE;
                pools.add(new Pool(pool.getMetadata().getName(), cidr, blockSize,
                        !Boolean.FALSE.equals(spec.get("natOutgoing"))));
            } catch (IllegalArgumentException e) {
                LOG.warn("ignoring IPPool {}: {}", pool.getMetadata().getName(), e.getMessage());
            }
        }
        pools.sort(Comparator.comparing(Pool::name));
        return pools;
    }

    /** The blocks this node owns, oldest claim first (pods fill them in that order). */
    public List<NodeBlock> owned() {
        Map<String, Pool> pools = pools().stream().collect(Collectors.toMap(Pool::name, p -> p));
        return client.genericKubernetesResources(BLOCKS).list().getItems().stream()
                .filter(block -> nodeName.equals(spec(block).get("node")))
                .sorted(Comparator.comparing((GenericKubernetesResource b) -> b.getMetadata().getCreationTimestamp())
                        .thenComparing(b -> b.getMetadata().getName()))
                .map(block -> toNodeBlock(block, pools))
                .flatMap(Optional::stream)
                .toList();
    }

    /** The node's blocks, claiming one first when it owns none yet (what the agent does on start). */
    public List<NodeBlock> ensureOne() {
        List<NodeBlock> owned = owned();
        return owned.isEmpty() ? List.of(claim()) : owned;
    }

    /** Claims one more block from the first pool that has one free. */
    public NodeBlock claim() {
        List<Pool> pools = pools();
        if (pools.isEmpty()) {
            throw new PoolExhaustedException("no IPPool exists, so node " + nodeName + " cannot claim an IPAM block");
        }
        Set<Ipv4Cidr> taken = new HashSet<>();
        for (GenericKubernetesResource block : client.genericKubernetesResources(BLOCKS).list().getItems()) {
            try {
                taken.add(Ipv4Cidr.parse(String.valueOf(spec(block).get("cidr"))));
            } catch (IllegalArgumentException e) {
                LOG.warn("ignoring IPAMBlock {}: {}", block.getMetadata().getName(), e.getMessage());
            }
        }
        for (Pool pool : pools) {
            BlockAllocator allocator = new BlockAllocator(pool.cidr(), pool.blockSize());
            long start = allocator.startFor(nodeName);
            Optional<Ipv4Cidr> candidate;
            while ((candidate = allocator.nextFree(taken, start)).isPresent()) {
                Ipv4Cidr cidr = candidate.get();
                if (create(cidr, pool)) {
                    LOG.info("node {} claimed IPAM block {} from pool {}", nodeName, cidr, pool.name());
                    return new NodeBlock(PodNetworkApi.blockName(cidr), cidr, pool.name(), pool.cidr());
                }
                // Another node created it first: that block is taken, try the next one.
                taken.add(cidr);
            }
        }
        throw new PoolExhaustedException("no free IPAM block for node " + nodeName + ": every block of "
                + pools.stream().map(p -> p.name() + " (" + p.cidr() + ", /" + p.blockSize() + " blocks)")
                        .collect(Collectors.joining(", "))
                + " is claimed; add an IPPool or delete unused nodes");
    }

    private boolean create(Ipv4Cidr cidr, Pool pool) {
        GenericKubernetesResource block = new GenericKubernetesResourceBuilder()
                .withApiVersion(PodNetworkApi.API_VERSION).withKind(PodNetworkApi.BLOCK_KIND)
                .withNewMetadata().withName(PodNetworkApi.blockName(cidr))
                .withLabels(Map.of(PodNetworkApi.NODE_LABEL, nodeName)).endMetadata()
                .addToAdditionalProperties("spec", Map.of("cidr", cidr.toString(), "node", nodeName,
                        "pool", pool.name()))
                .build();
        try {
            client.genericKubernetesResources(BLOCKS).resource(block).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // A create retried after a lost answer meets its own first attempt: then the block is ours.
            GenericKubernetesResource existing = client.genericKubernetesResources(BLOCKS)
                    .withName(PodNetworkApi.blockName(cidr)).get();
            return existing != null && nodeName.equals(spec(existing).get("node"));
        }
    }

    private static Optional<NodeBlock> toNodeBlock(GenericKubernetesResource block, Map<String, Pool> pools) {
        Map<String, Object> spec = spec(block);
        Pool pool = pools.get(String.valueOf(spec.get("pool")));
        try {
            Ipv4Cidr cidr = Ipv4Cidr.parse(String.valueOf(spec.get("cidr")));
            if (pool == null || !pool.cidr().contains(cidr)) {
                LOG.warn("ignoring IPAMBlock {}: its pool {} is gone or does not contain it",
                        block.getMetadata().getName(), spec.get("pool"));
                return Optional.empty();
            }
            return Optional.of(new NodeBlock(block.getMetadata().getName(), cidr, pool.name(), pool.cidr()));
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring IPAMBlock {}: {}", block.getMetadata().getName(), e.getMessage());
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource object) {
        Object spec = object.getAdditionalProperties().get("spec");
        return spec instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
