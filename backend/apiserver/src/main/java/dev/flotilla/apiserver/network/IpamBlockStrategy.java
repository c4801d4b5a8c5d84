package dev.flotilla.apiserver.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.network.Ipv4Cidr;
import dev.flotilla.api.network.PodNetworkApi;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.resource.ResourceStore;
import dev.flotilla.apiserver.strategy.KindStrategy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What makes IPAM blocks safe to claim by create: a block's name must be its CIDR
 * ({@link PodNetworkApi#blockName}) and the CIDR one of its pool's blocks (inside the pool, of the
 * pool's block size), so that one address range has exactly one possible name and the API server's
 * create-if-absent on that name gives it one owner. A block never changes after it is claimed, and a
 * node (group {@code system:nodes}) may only create blocks whose {@code spec.node} is itself.
 * Runs after the CRD's schema validation.
 */
@Singleton
public class IpamBlockStrategy implements KindStrategy {

    private static final String NODES_GROUP = "system:nodes";
    private static final String NODE_USER_PREFIX = "system:node:";

    private final ResourceStore store;
    private final ResourceRegistry registry;

    public IpamBlockStrategy(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(PodNetworkApi.GROUP + "/" + PodNetworkApi.BLOCK_KIND);
    }

    /** As NodeRestriction does for Nodes: a node agent claims blocks for itself only. */
    @Override
    public void prepareForCreate(ObjectNode block, UserInfo creator) {
        if (!creator.inGroup(NODES_GROUP)) {
            return;
        }
        String node = block.path("spec").path("node").asText();
        if (!creator.name().equals(NODE_USER_PREFIX + node)) {
            throw ApiError.forbidden(PodNetworkApi.GROUP, PodNetworkApi.BLOCKS,
                    block.path("metadata").path("name").asText(),
                    "node \"" + creator.name().substring(creator.name().lastIndexOf(':') + 1)
                            + "\" may only claim blocks for itself, not for node \"" + node + "\"");
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode block) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = block.path("spec");
        String text = spec.path("cidr").asText();
        Ipv4Cidr cidr;
        try {
            cidr = Ipv4Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.invalid("spec.cidr", text, e.getMessage()));
            return errors;
        }
        String name = block.path("metadata").path("name").asText();
        if (!name.equals(PodNetworkApi.blockName(cidr))) {
            errors.add(FieldError.invalid("metadata.name", name,
                    "must be " + PodNetworkApi.blockName(cidr) + ", the block's CIDR with '.' and '/' written as '-'"));
        }
        String poolName = spec.path("pool").asText();
        Optional<ObjectNode> pool = registry.find(PodNetworkApi.GROUP, PodNetworkApi.VERSION, PodNetworkApi.POOLS)
                .flatMap(type -> store.get(type, null, poolName));
        if (pool.isEmpty()) {
            errors.add(FieldError.notFound("spec.pool", poolName));
            return errors;
        }
        JsonNode poolSpec = pool.get().path("spec");
        int blockSize = poolSpec.path("blockSize").asInt(PodNetworkApi.DEFAULT_BLOCK_SIZE);
        boolean inPool;
        try {
            inPool = Ipv4Cidr.parse(poolSpec.path("cidr").asText()).contains(cidr);
        } catch (IllegalArgumentException e) {
            inPool = false;
        }
        if (!inPool || cidr.prefixLength() != blockSize) {
            errors.add(FieldError.invalid("spec.cidr", text, "must be a /" + blockSize + " block of IPPool "
                    + poolName + " (" + poolSpec.path("cidr").asText() + ")"));
        }
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>();
        for (String field : List.of("cidr", "node", "pool")) {
            JsonNode now = updated.path("spec").path(field);
            if (!now.equals(old.path("spec").path(field))) {
                errors.add(FieldError.immutable("spec." + field, now.asText()));
            }
        }
        return errors;
    }
}
