package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import java.util.List;
import java.util.Map;

/**
 * The {@code /scale} subresource: an {@code autoscaling/v1 Scale} view of a workload's
 * {@code spec.replicas} (and {@code status.replicas}, label selector), which {@code kubectl scale}
 * and autoscalers read and write without touching the rest of the object.
 */
final class ScaleSubresource {

    private ScaleSubresource() {
    }

    static ObjectNode toScale(ResourceType type, ObjectNode object) {
        ObjectMetadata meta = ObjectMetadata.of(object);
        ObjectNode scale = Json.mapper().createObjectNode();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (meta.text(field) != null) {
                metadata.put(field, meta.text(field));
            }
        }
        scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(1));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", object.path("status").path("replicas").asInt(0));
        String selector = selector(type, object.path("spec").path("selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return scale;
    }

    /** Validates a Scale sent by a client and returns the replicas it asks for. */
    static int requestedReplicas(ObjectNode scale) {
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.isIntegralNumber() || replicas.asLong() < 0 || replicas.asLong() > Integer.MAX_VALUE) {
            String name = ObjectMetadata.of(scale).name();
            throw ApiError.invalid("autoscaling", "Scale", name == null ? "" : name,
                    List.of(FieldError.invalid("spec.replicas", replicas.isMissingNode() ? "null" : replicas.toString(),
                            "must be greater than or equal to 0")));
        }
        return replicas.asInt();
    }

    private static String selector(ResourceType type, JsonNode selector) {
        if (selector.isMissingNode() || selector.isNull()) {
            return "";
        }
        if (type.kind().equals("ReplicationController")) {
            Map<String, String> labels = ObjectPreparation.stringMap(selector);
            return LabelSelector.fromSet(labels).toString();
        }
        io.fabric8.kubernetes.api.model.LabelSelector typed = Json.mapper().convertValue(selector,
                io.fabric8.kubernetes.api.model.LabelSelector.class);
        return LabelSelector.fromMetaV1(typed).toString();
    }
}
