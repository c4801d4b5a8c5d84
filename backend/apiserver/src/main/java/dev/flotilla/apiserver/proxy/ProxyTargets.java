package dev.flotilla.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.resource.ResourceStore;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/** Looks up what a connect request is aimed at (a pod's node, a container, a node, a service's endpoints). */
@Singleton
public class ProxyTargets {

    private final ResourceStore store;
    private final ResourceRegistry registry;

    public ProxyTargets(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    public ObjectNode require(String resource, String namespace, String name) {
        return store.require(type(resource), namespace, name);
    }

    public java.util.Optional<ObjectNode> find(String resource, String namespace, String name) {
        return store.get(type(resource), namespace, name);
    }

    /** The EndpointSlices of a service (labelled {@code kubernetes.io/service-name}). */
    public List<ObjectNode> endpointSlicesOf(String namespace, String service) {
        ResourceType slices = registry.find("discovery.k8s.io", "v1", "endpointslices")
                .orElseThrow(() -> new IllegalStateException("no endpointslices"));
        List<ObjectNode> found = new ArrayList<>();
        for (var stored : store.list(slices, namespace, 0, 0, null).items()) {
            ObjectNode slice = ResourceStore.decode(stored);
            if (slice.path("metadata").path("labels").path("kubernetes.io/service-name").asText("").equals(service)) {
                found.add(slice);
            }
        }
        return found;
    }

    /** The node the pod is bound to; 400 as upstream when it is not bound yet. */
    public ObjectNode nodeOf(ObjectNode pod) {
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (nodeName.isEmpty()) {
            throw ApiError.badRequest("pod " + pod.path("metadata").path("name").asText()
                    + " does not have a host assigned");
        }
        return require("nodes", null, nodeName);
    }

    /**
     * The container a request names, or the pod's only container when it names none; otherwise 400
     * with upstream's messages.
     */
    public static String container(ObjectNode pod, String requested) {
        String podName = pod.path("metadata").path("name").asText();
        List<String> all = new ArrayList<>();
        for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
            pod.path("spec").path(field).forEach(c -> all.add(c.path("name").asText()));
        }
        JsonNode containers = pod.path("spec").path("containers");
        if (requested == null || requested.isEmpty()) {
            if (containers.size() == 1) {
                return containers.get(0).path("name").asText();
            }
            if (containers.isEmpty()) {
                throw ApiError.badRequest("a container name must be specified for pod " + podName);
            }
            throw ApiError.badRequest("a container name must be specified for pod " + podName + ", choose one of: ["
                    + String.join(" ", all) + "]");
        }
        if (!all.contains(requested)) {
            throw ApiError.badRequest("container " + requested + " is not valid for pod " + podName);
        }
        return requested;
    }

    private ResourceType type(String resource) {
        return registry.find("", "v1", resource).orElseThrow(() -> new IllegalStateException("no core " + resource));
    }
}
