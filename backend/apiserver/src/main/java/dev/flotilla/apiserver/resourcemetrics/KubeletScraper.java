package dev.flotilla.apiserver.resourcemetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.proxy.KubeletClient;
import dev.flotilla.apiserver.resource.ResourceStore;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics-server role: every scrape interval, each Ready node's kubelet {@code /metrics/resource}
 * is read through {@link KubeletClient} (the node proxy's address, port and identity) and the last two
 * readings per node are kept; usage is the rate between them. A node whose kubelet does not answer
 * (a hollow node, an agent being restarted) keeps no readings and so has no metrics, as with
 * metrics-server.
 */
@Context
public class KubeletScraper {

    private static final Logger LOG = LoggerFactory.getLogger(KubeletScraper.class);

    private record Readings(KubeletSample previous, KubeletSample latest) {
    }

    private final ResourceStore store;
    private final ResourceType nodes;
    private final KubeletClient kubelet;
    private final ResourceMetricsProperties properties;
    private final Map<String, Readings> readings = new ConcurrentHashMap<>();
    /** Nodes whose scrape has not finished: not queued again, so slow or silent nodes cannot pile up work. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "metrics-scrape"));
    private final ExecutorService scrapes = Executors.newFixedThreadPool(4, r -> daemon(r, "metrics-scrape-node"));

    public KubeletScraper(ResourceStore store, ResourceRegistry registry, KubeletClient kubelet,
                          ResourceMetricsProperties properties) {
        this.store = store;
        this.nodes = registry.find("", "v1", "nodes").orElseThrow();
        this.kubelet = kubelet;
        this.properties = properties;
        if (properties.isEnabled()) {
            long period = Math.max(1000, properties.getScrapeInterval().toMillis());
            timer.scheduleWithFixedDelay(this::scrapeAll, 1000, period, TimeUnit.MILLISECONDS);
        }
    }

    /** The node's usage between its last two readings. */
    Optional<ResourceUsage> node(String name) {
        Readings r = readings.get(name);
        if (r == null || r.previous() == null || r.previous().node() == null || r.latest().node() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(ResourceUsage.between(r.previous().node(), r.latest().node()));
    }

    /** Each container's usage on the node between its last two readings (containers seen in both). */
    Map<KubeletSample.ContainerKey, ResourceUsage> containers(String nodeName) {
        Readings r = readings.get(nodeName);
        Map<KubeletSample.ContainerKey, ResourceUsage> usage = new java.util.LinkedHashMap<>();
        if (r == null || r.previous() == null) {
            return usage;
        }
        r.latest().containers().forEach((key, point) -> {
            KubeletSample.Point earlier = r.previous().containers().get(key);
            ResourceUsage between = earlier == null ? null : ResourceUsage.between(earlier, point);
            if (between != null) {
                usage.put(key, between);
            }
        });
        return usage;
    }

    private void scrapeAll() {
        try {
            Set<String> ready = new HashSet<>();
            for (var stored : store.list(nodes, null, 0, 0, null).items()) {
                ObjectNode node = ResourceStore.decode(stored);
                String name = node.path("metadata").path("name").asText();
                if (isReady(node)) {
                    ready.add(name);
                    if (inFlight.add(name)) {
                        scrapes.execute(() -> scrape(name, node));
                    }
                }
            }
            readings.keySet().retainAll(ready);
        } catch (RuntimeException e) {
            LOG.debug("resource metrics: cannot list nodes: {}", e.getMessage());
        }
    }

    private void scrape(String name, ObjectNode node) {
        try {
            String text = kubelet.get(node, "/metrics/resource", properties.getScrapeTimeout());
            KubeletSample sample = KubeletSample.parse(text, System.currentTimeMillis());
            readings.compute(name, (k, old) -> new Readings(old == null ? null : old.latest(), sample));
        } catch (Exception e) {
            readings.remove(name);
            LOG.debug("resource metrics: cannot scrape node {}: {}", name, e.getMessage());
        } finally {
            inFlight.remove(name);
        }
    }

    private static boolean isReady(JsonNode node) {
        for (JsonNode condition : node.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                return condition.path("status").asText().equals("True");
            }
        }
        return false;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @PreDestroy
    public void stop() {
        timer.shutdownNow();
        scrapes.shutdownNow();
    }
}
