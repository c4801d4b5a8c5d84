package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.api.network.Ipv4;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.resource.ResourceStore;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.StoredObject;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back cluster IPs and node ports that no Service holds, every
 * {@code flotilla.apiserver.service-allocation-repair-interval} (default 3 minutes, as upstream's
 * repair loops): see {@link LeakedClaims}.
 */
@Context
public class ServiceAllocationRepair {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceAllocationRepair.class);
    private static final int PAGE = 500;

    private final ResourceStore store;
    private final ResourceType services;
    private final LeakedClaims clusterIps;
    private final LeakedClaims nodePorts;
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("service-allocation-repair");

    public ServiceAllocationRepair(ServiceAllocations allocations, ResourceStore store, ResourceRegistry registry,
            ApiServerProperties properties) {
        this.store = store;
        this.services = registry.find("", "v1", "services").orElseThrow();
        this.clusterIps = new LeakedClaims(allocations.clusterIps());
        this.nodePorts = new LeakedClaims(allocations.nodePorts());
        long period = properties.getServiceAllocationRepairInterval().toMillis();
        timer.scheduleWithFixedDelay(this::repairQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    /** One pass over both ranges; returns the number of values released. */
    public int repair() {
        Set<Long> ips = new HashSet<>();
        Set<Long> ports = new HashSet<>();
        String after = null;
        long revision = 0;
        ListResult page;
        do {
            page = store.list(services, null, revision, PAGE, after);
            revision = page.revision();
            for (StoredObject stored : page.items()) {
                ObjectNode service = ResourceStore.decode(stored);
                addClusterIps(service, ips);
                ports.addAll(ServiceStrategy.nodePortsOf(service));
                after = stored.key();
            }
        } while (page.more());
        int releasedIps = clusterIps.repair(ips);
        int releasedPorts = nodePorts.repair(ports);
        if (releasedIps + releasedPorts > 0) {
            LOG.info("released {} cluster IP(s) and {} node port(s) that no Service holds", releasedIps, releasedPorts);
        }
        return releasedIps + releasedPorts;
    }

    private static void addClusterIps(ObjectNode service, Set<Long> ips) {
        JsonNode spec = service.path("spec");
        for (JsonNode ip : spec.path("clusterIPs")) {
            if (ServiceAllocations.looksLikeIpv4(ip.asText())) {
                ips.add(Ipv4.parse(ip.asText()));
            }
        }
        if (ServiceAllocations.looksLikeIpv4(spec.path("clusterIP").asText(""))) {
            ips.add(Ipv4.parse(spec.path("clusterIP").asText()));
        }
    }

    private void repairQuietly() {
        try {
            repair();
        } catch (RuntimeException e) {
            LOG.warn("service allocation repair failed, will retry: {}", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
