package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.network.Ipv4;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.ApiServerProperties;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code default/kubernetes} Service, as kube-apiserver's bootstrap controller keeps it: ClusterIP
 * = the first address of the service range, port {@code https} 443/TCP to the API server's port, no
 * selector, and its Endpoints and EndpointSlice {@code kubernetes} listing this server's advertised
 * address. Checked at start and every 10 s: recreated when deleted, repaired when changed. Several
 * API servers each add their own address and leave the others' (they never remove each other's).
 */
@Context
public class KubernetesService {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesService.class);
    static final String NAME = "kubernetes";
    static final String NAMESPACE = "default";
    private static final long PERIOD_SECONDS = 10;

    private final ResourceStore store;
    private final ResourceType services;
    private final ResourceType endpoints;
    private final ResourceType slices;
    private final String clusterIp;
    private final String address;
    private final int port;
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("kubernetes-service");

    public KubernetesService(ResourceStore store, ResourceRegistry registry, ApiServerProperties properties) {
        this.store = store;
        this.services = registry.find("", "v1", "services").orElseThrow();
        this.endpoints = registry.find("", "v1", "endpoints").orElseThrow();
        this.slices = registry.find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
        this.clusterIp = firstAddress(properties.getServiceClusterIpRange());
        this.address = properties.getAdvertiseHost();
        this.port = properties.getPort();
        timer.execute(this::untilFirstSuccess);
    }

    /** Every second until the first reconcile works (pods created early get the service variables), then every 10 s. */
    private void untilFirstSuccess() {
        try {
            reconcile();
            timer.scheduleWithFixedDelay(this::reconcileQuietly, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.debug("default/kubernetes service not created yet: {}", e.getMessage());
            if (!timer.isShutdown()) {
                timer.schedule(this::untilFirstSuccess, 1, TimeUnit.SECONDS);
            }
        }
    }

    static String firstAddress(String cidr) {
        String[] parts = cidr.split("/");
        int prefix = Integer.parseInt(parts[1]);
        long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return Ipv4.format((Ipv4.parse(parts[0]) & mask) + 1);
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            // etcd not there yet, the namespace not created yet, or a conflict with another server: next round
            LOG.debug("default/kubernetes service not reconciled yet: {}", e.getMessage());
        }
    }

    void reconcile() {
        if (Ipv4.isValid(address)) {
            ensure(services, service(), this::serviceDiffers);
            ensure(endpoints, withOwnAddress(store.get(endpoints, NAMESPACE, NAME), endpointsObject()), (want, have) ->
                    !want.equals(have));
            ensure(slices, withOwnAddress(store.get(slices, NAMESPACE, NAME), sliceObject()), (want, have) ->
                    !want.equals(have));
        } else {
            ensure(services, service(), this::serviceDiffers);
        }
    }

    private interface Differs {
        boolean test(ObjectNode wanted, ObjectNode existing);
    }

    /** Creates the object, or replaces its spec-like fields when they differ (with the stored resourceVersion). */
    private void ensure(ResourceType type, ObjectNode wanted, Differs differs) {
        Optional<ObjectNode> existing = store.get(type, NAMESPACE, NAME);
        if (existing.isEmpty()) {
            ObjectPreparation.prepareForCreate(type, wanted);
            try {
                store.create(type, NAMESPACE, NAME, wanted);
                LOG.info("created {} default/kubernetes", type.kind());
            } catch (ApiError e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
            return;
        }
        ObjectNode current = existing.get();
        ObjectNode merged = current.deepCopy();
        for (String field : new String[] {"spec", "subsets", "addresses", "ports", "addressType", "endpoints"}) {
            if (wanted.has(field)) {
                merged.set(field, wanted.get(field));
            }
        }
        ObjectNode labels = merged.with("metadata").with("labels");
        wanted.path("metadata").path("labels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
        if (differs.test(merged, current)) {
            store.update(type, NAMESPACE, NAME, merged, Long.parseLong(ObjectMetadata.of(current).resourceVersion()));
            LOG.info("repaired {} default/kubernetes", type.kind());
        }
    }

    private boolean serviceDiffers(ObjectNode wanted, ObjectNode existing) {
        JsonNode want = wanted.path("spec");
        JsonNode have = existing.path("spec");
        return !want.path("clusterIP").equals(have.path("clusterIP")) || !want.path("ports").equals(have.path("ports"))
                || !have.path("selector").isMissingNode() && !have.path("selector").isEmpty()
                || !wanted.path("metadata").path("labels").equals(existing.path("metadata").path("labels"));
    }

    private ObjectNode service() {
        ObjectNode service = object("Service", "v1");
        ObjectNode labels = service.with("metadata").with("labels");
        labels.put("component", "apiserver");
        labels.put("provider", "kubernetes");
        ObjectNode spec = service.putObject("spec");
        spec.put("type", "ClusterIP");
        spec.put("clusterIP", clusterIp);
        spec.putArray("clusterIPs").add(clusterIp);
        spec.putArray("ipFamilies").add("IPv4");
        spec.put("ipFamilyPolicy", "SingleStack");
        spec.put("sessionAffinity", "None");
        spec.put("internalTrafficPolicy", "Cluster");
        spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP")
                .put("targetPort", port);
        return service;
    }

    private ObjectNode endpointsObject() {
        ObjectNode object = object("Endpoints", "v1");
        // The API server writes the EndpointSlice itself; the mirroring controller leaves this one alone.
        object.with("metadata").with("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = object.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", address);
        subset.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        return object;
    }

    private ObjectNode sliceObject() {
        ObjectNode object = object("EndpointSlice", "discovery.k8s.io/v1");
        object.with("metadata").with("labels").put("kubernetes.io/service-name", NAME);
        object.put("addressType", "IPv4");
        ObjectNode endpoint = object.putArray("endpoints").addObject();
        endpoint.putArray("addresses").add(address);
        endpoint.putObject("conditions").put("ready", true);
        object.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        return object;
    }

    /** {@code wanted} with the addresses other API servers put in the existing object kept. */
    private ObjectNode withOwnAddress(Optional<ObjectNode> existing, ObjectNode wanted) {
        if (existing.isEmpty()) {
            return wanted;
        }
        ObjectNode current = existing.get();
        if (wanted.has("subsets")) {
            ArrayNode addresses = (ArrayNode) wanted.path("subsets").get(0).path("addresses");
            current.path("subsets").forEach(subset -> subset.path("addresses").forEach(a -> {
                if (!a.path("ip").asText().equals(address) && Ipv4.isValid(a.path("ip").asText())) {
                    addresses.addObject().put("ip", a.path("ip").asText());
                }
            }));
        } else {
            ArrayNode all = (ArrayNode) wanted.path("endpoints");
            current.path("endpoints").forEach(e -> {
                String ip = e.path("addresses").path(0).asText();
                if (!ip.equals(address) && Ipv4.isValid(ip)) {
                    ObjectNode other = all.addObject();
                    other.putArray("addresses").add(ip);
                    other.putObject("conditions").put("ready", true);
                }
            });
        }
        return wanted;
    }

    private static ObjectNode object(String kind, String apiVersion) {
        ObjectNode object = Json.mapper().createObjectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE);
        return object;
    }

    @PreDestroy
    public void stop() {
        timer.shutdownNow();
    }
}
