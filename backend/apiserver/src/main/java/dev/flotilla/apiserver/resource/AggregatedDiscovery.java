package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import io.fabric8.kubernetes.api.model.APIResource;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * Aggregated discovery ({@code apidiscovery.k8s.io/v2}, also v2beta1): every group, version and
 * resource in one document on {@code /api} and {@code /apis}, so a client learns the whole API in two
 * requests instead of one per group version. Built from the same registry as the legacy documents.
 */
@Singleton
public class AggregatedDiscovery {

    private final ResourceRegistry registry;

    public AggregatedDiscovery(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** The document for {@code /api} (legacy: the core group only) or {@code /apis} (every named group). */
    public ObjectNode document(boolean legacy, String apiVersion) {
        ObjectNode list = Json.mapper().createObjectNode();
        list.put("kind", "APIGroupDiscoveryList");
        list.put("apiVersion", apiVersion);
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        for (Map.Entry<String, List<String>> group : registry.groups().entrySet()) {
            if (group.getKey().isEmpty() == legacy) {
                items.add(group(group.getKey(), group.getValue()));
            }
        }
        if (legacy && items.isEmpty()) {
            items.add(group("", List.of("v1")));
        }
        return list;
    }

    private ObjectNode group(String name, List<String> versions) {
        ObjectNode group = Json.mapper().createObjectNode();
        ObjectNode metadata = group.putObject("metadata");
        if (!name.isEmpty()) {
            metadata.put("name", name);
        }
        ArrayNode served = group.putArray("versions");
        for (String version : versions) {
            ObjectNode entry = served.addObject();
            entry.put("version", version);
            ArrayNode resources = entry.putArray("resources");
            for (ResourceType type : registry.inGroupVersion(name, version)) {
                resources.add(resource(type));
            }
            entry.put("freshness", "Current");
        }
        return group;
    }

    private static ObjectNode resource(ResourceType type) {
        ObjectNode resource = Json.mapper().createObjectNode();
        resource.put("resource", type.resource());
        resource.set("responseKind", kind(type.group(), type.version(), type.kind()));
        resource.put("scope", type.namespaced() ? "Namespaced" : "Cluster");
        resource.put("singularResource", type.singular());
        strings(resource, "verbs", DiscoveryDocuments.sorted(type.verbs()));
        if (!type.shortNames().isEmpty()) {
            strings(resource, "shortNames", type.shortNames());
        }
        if (!type.categories().isEmpty()) {
            strings(resource, "categories", type.categories());
        }
        if (!type.subresources().isEmpty()) {
            ArrayNode subresources = resource.putArray("subresources");
            for (String sub : DiscoveryDocuments.sorted(type.subresources())) {
                APIResource legacy = DiscoveryDocuments.subresource(type, sub);
                ObjectNode entry = subresources.addObject();
                entry.put("subresource", sub);
                entry.set("responseKind", kind(legacy.getGroup() == null ? type.group() : legacy.getGroup(),
                        legacy.getVersion() == null ? type.version() : legacy.getVersion(), legacy.getKind()));
                strings(entry, "verbs", legacy.getVerbs());
            }
        }
        return resource;
    }

    private static ObjectNode kind(String group, String version, String kind) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("group", group);
        node.put("version", version);
        node.put("kind", kind);
        return node;
    }

    private static void strings(ObjectNode parent, String field, List<String> values) {
        ArrayNode array = parent.putArray(field);
        values.forEach(array::add);
    }
}
