package dev.flotilla.apiserver.resourcemetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.api.selector.SelectorParseException;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.Route;
import dev.flotilla.apiserver.http.RouteProvider;
import dev.flotilla.apiserver.resource.ResourceStore;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.k8s.io/v1beta1} NodeMetrics and PodMetrics (get and list, label selectors, one
 * namespace or all), built from {@link KubeletScraper}'s readings as metrics-server serves them. The
 * group and version discovery documents come from the registry like every other group; RBAC is checked
 * before the request gets here.
 */
@Singleton
public class ResourceMetricsEndpoints implements RouteProvider {

    static final String GROUP = "metrics.k8s.io";
    static final String API_VERSION = GROUP + "/v1beta1";
    private static final String BASE = "/apis/" + API_VERSION;

    private final KubeletScraper scraper;
    private final ResourceStore store;
    private final ResourceType nodes;
    private final ResourceType pods;

    public ResourceMetricsEndpoints(KubeletScraper scraper, ResourceStore store, ResourceRegistry registry) {
        this.scraper = scraper;
        this.store = store;
        this.nodes = registry.find("", "v1", "nodes").orElseThrow();
        this.pods = registry.find("", "v1", "pods").orElseThrow();
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.tree(BASE + "/nodes", false, this::handle), Route.tree(BASE + "/pods", false, this::handle),
                Route.tree(BASE + "/namespaces", false, this::handle));
    }

    private ApiResponse handle(ApiRequest request) {
        String[] parts = request.path().substring(BASE.length() + 1).replaceAll("/$", "").split("/");
        if (!request.method().name().equals("GET")) {
            throw ApiError.methodNotAllowed(request.method().name());
        }
        LabelSelector selector = selector(request.queryParam("labelSelector"));
        if (parts[0].equals("nodes") && parts.length <= 2) {
            return parts.length == 1 ? ApiResponse.json(200, nodeList(selector))
                    : ApiResponse.json(200, nodeMetrics(require(nodes, null, parts[1], "nodes"), parts[1])
                    .orElseThrow(() -> ApiError.notFound(GROUP, "nodes", parts[1])));
        }
        if (parts[0].equals("pods") && parts.length == 1) {
            return ApiResponse.json(200, podList(null, selector));
        }
        if (parts[0].equals("namespaces") && parts.length >= 3 && parts.length <= 4 && parts[2].equals("pods")) {
            String namespace = parts[1];
            if (parts.length == 3) {
                return ApiResponse.json(200, podList(namespace, selector));
            }
            ObjectNode pod = require(pods, namespace, parts[3], "pods");
            return ApiResponse.json(200, podMetrics(pod, new HashMap<>())
                    .orElseThrow(() -> ApiError.notFound(GROUP, "pods", parts[3])));
        }
        throw ApiError.notFoundPath();
    }

    private ObjectNode require(ResourceType type, String namespace, String name, String resource) {
        return store.get(type, namespace, name).orElseThrow(() -> ApiError.notFound(GROUP, resource, name));
    }

    private static LabelSelector selector(String text) {
        if (text == null || text.isEmpty()) {
            return LabelSelector.everything();
        }
        try {
            return LabelSelector.parse(text);
        } catch (SelectorParseException | IllegalArgumentException e) {
            throw ApiError.badRequest("unable to parse requirement: " + e.getMessage());
        }
    }

    private ObjectNode nodeList(LabelSelector selector) {
        ObjectNode list = list("NodeMetricsList");
        ArrayNode items = list.putArray("items");
        for (var stored : store.list(nodes, null, 0, 0, null).items()) {
            ObjectNode node = ResourceStore.decode(stored);
            if (selector.matches(labels(node))) {
                nodeMetrics(node, node.path("metadata").path("name").asText()).ifPresent(items::add);
            }
        }
        return list;
    }

    private java.util.Optional<ObjectNode> nodeMetrics(ObjectNode node, String name) {
        return scraper.node(name).map(usage -> {
            ObjectNode metrics = object("NodeMetrics", name, null, node.path("metadata").path("labels"));
            window(metrics, usage);
            usage(metrics.putObject("usage"), usage);
            return metrics;
        });
    }

    private ObjectNode podList(String namespace, LabelSelector selector) {
        ObjectNode list = list("PodMetricsList");
        ArrayNode items = list.putArray("items");
        Map<String, Map<KubeletSample.ContainerKey, ResourceUsage>> byNode = new HashMap<>();
        for (var stored : store.list(pods, namespace, 0, 0, null).items()) {
            ObjectNode pod = ResourceStore.decode(stored);
            if (selector.matches(labels(pod))) {
                podMetrics(pod, byNode).ifPresent(items::add);
            }
        }
        return list;
    }

    /** Pods with a reading of at least one container (a pod the kubelet has not reported yet has none). */
    private java.util.Optional<ObjectNode> podMetrics(ObjectNode pod,
                                                       Map<String, Map<KubeletSample.ContainerKey, ResourceUsage>> byNode) {
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (nodeName.isEmpty()) {
            return java.util.Optional.empty();
        }
        String namespace = pod.path("metadata").path("namespace").asText();
        String name = pod.path("metadata").path("name").asText();
        Map<KubeletSample.ContainerKey, ResourceUsage> containers = byNode.computeIfAbsent(nodeName, scraper::containers);
        ObjectNode metrics = object("PodMetrics", name, namespace, pod.path("metadata").path("labels"));
        ArrayNode entries = Json.mapper().createArrayNode();
        ResourceUsage first = null;
        for (var entry : containers.entrySet()) {
            KubeletSample.ContainerKey key = entry.getKey();
            if (key.namespace().equals(namespace) && key.pod().equals(name)) {
                ObjectNode container = entries.addObject();
                container.put("name", key.container());
                usage(container.putObject("usage"), entry.getValue());
                first = first == null ? entry.getValue() : first;
            }
        }
        if (first == null) {
            return java.util.Optional.empty();
        }
        window(metrics, first);
        metrics.set("containers", entries);
        return java.util.Optional.of(metrics);
    }

    private static ObjectNode list(String kind) {
        ObjectNode list = Json.mapper().createObjectNode();
        list.put("kind", kind);
        list.put("apiVersion", API_VERSION);
        list.putObject("metadata");
        return list;
    }

    private static ObjectNode object(String kind, String name, String namespace, JsonNode labels) {
        ObjectNode object = Json.mapper().createObjectNode();
        object.put("kind", kind);
        object.put("apiVersion", API_VERSION);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.put("creationTimestamp", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        if (labels.isObject() && !labels.isEmpty()) {
            metadata.set("labels", labels.deepCopy());
        }
        return object;
    }

    private static void window(ObjectNode metrics, ResourceUsage usage) {
        metrics.put("timestamp", usage.timestamp().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        metrics.put("window", usage.windowText());
    }

    private static void usage(ObjectNode target, ResourceUsage usage) {
        target.put("cpu", usage.cpuQuantity());
        target.put("memory", usage.memoryQuantity());
    }

    private static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new HashMap<>();
        object.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }
}
