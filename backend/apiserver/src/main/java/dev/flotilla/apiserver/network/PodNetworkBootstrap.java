package dev.flotilla.apiserver.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.api.health.HealthCheck;
import dev.flotilla.api.health.HealthResult;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.network.BlockAllocator;
import dev.flotilla.api.network.Ipv4Cidr;
import dev.flotilla.api.network.PodNetworkApi;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.resource.ObjectPreparation;
import dev.flotilla.apiserver.resource.ResourceStore;
import dev.flotilla.apiserver.strategy.KindStrategies;
import dev.flotilla.apiserver.strategy.KindStrategy;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the pod-network API at start: the IPPool and IPAMBlock CustomResourceDefinitions
 * ({@code networking.flotilla.dev/v1}) and the default IPPool from {@link PodNetworkProperties}.
 * Each is created only when absent (create-if-absent, so servers starting together end with one copy)
 * and never overwritten, so an administrator's edits stay. Retried every second until etcd answers;
 * {@code /readyz} reports {@code poststarthook/flotilla/pod-network} until it is done.
 */
@Context
public class PodNetworkBootstrap implements HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(PodNetworkBootstrap.class);
    private static final List<String> DEFINITIONS = List.of("ippools.yaml", "ipamblocks.yaml");

    private final ResourceStore store;
    private final ResourceRegistry registry;
    private final KindStrategies strategies;
    private final ObjectNode defaultPool;
    private volatile boolean done;
    private final ScheduledExecutorService retries = DaemonThreads.scheduler("pod-network-bootstrap");

    public PodNetworkBootstrap(ResourceStore store, ResourceRegistry registry, KindStrategies strategies,
            PodNetworkProperties properties) {
        this.store = store;
        this.registry = registry;
        this.strategies = strategies;
        this.defaultPool = defaultPool(properties);
        retries.execute(this::ensure);
    }

    /** The configured pool, checked at start so a bad setting stops the server with a clear message. */
    static ObjectNode defaultPool(PodNetworkProperties properties) {
        Ipv4Cidr cidr;
        try {
            cidr = Ipv4Cidr.parse(properties.getPodCidr());
            new BlockAllocator(cidr, properties.getBlockSize());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("flotilla.network.pod-cidr=" + properties.getPodCidr()
                    + " with block-size " + properties.getBlockSize() + ": " + e.getMessage(), e);
        }
        ObjectNode pool = Json.mapper().createObjectNode();
        pool.put("apiVersion", PodNetworkApi.API_VERSION);
        pool.put("kind", PodNetworkApi.POOL_KIND);
        pool.putObject("metadata").put("name", PodNetworkApi.DEFAULT_POOL);
        ObjectNode spec = pool.putObject("spec");
        spec.put("cidr", cidr.toString());
        spec.put("blockSize", properties.getBlockSize());
        spec.put("natOutgoing", true);
        return pool;
    }

    @Override
    public String name() {
        return "poststarthook/flotilla/pod-network";
    }

    @Override
    public HealthResult check() {
        return done ? HealthResult.ok() : HealthResult.failed("the pod network API is not installed yet");
    }

    private void ensure() {
        try {
            ResourceType definitions = registry.find("apiextensions.k8s.io", "v1", "customresourcedefinitions")
                    .orElseThrow();
            for (String file : DEFINITIONS) {
                createIfAbsent(definitions, load(file));
            }
            ResourceType pools = registry.find(PodNetworkApi.GROUP, PodNetworkApi.VERSION, PodNetworkApi.POOLS)
                    .orElseThrow(() -> new IllegalStateException("the IPPool type is not registered yet"));
            createIfAbsent(pools, defaultPool.deepCopy());
            done = true;
            LOG.info("pod network API installed");
        } catch (RuntimeException e) {
            LOG.debug("pod network API not yet installed: {}", e.getMessage());
            if (!retries.isShutdown()) {
                retries.schedule(this::ensure, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** Creates the object as a client's create would (generic metadata, the kind's strategy), unless present. */
    private void createIfAbsent(ResourceType type, ObjectNode object) {
        String name = object.path("metadata").path("name").asText();
        Optional<ObjectNode> current = store.get(type, null, name);
        if (current.isPresent()) {
            return;
        }
        KindStrategy strategy = strategies.of(type);
        ObjectPreparation.prepareForCreate(type, object);
        strategy.prepareForCreate(object);
        List<FieldError> errors = strategy.validate(object);
        if (!errors.isEmpty()) {
            throw new IllegalStateException(type.kind() + " " + name + " is invalid: " + errors);
        }
        strategy.allocate(object);
        try {
            store.create(type, null, name, object);
            LOG.info("created {} {}", type.kind(), name);
        } catch (ApiError e) {
            strategy.release(object);
            if (e.code() != 409) {
                throw e;
            }
        }
    }

    private static ObjectNode load(String file) {
        try (InputStream in = PodNetworkBootstrap.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from the classpath");
            }
            return (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PreDestroy
    public void stop() {
        retries.shutdownNow();
    }
}
