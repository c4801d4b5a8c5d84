package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.CustomResource;
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
        if (type.isCustom()) {
            return customScale(type.custom().scale(), object, scale);
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

    /** A custom resource's Scale, read through the paths its CRD names. */
    private static ObjectNode customScale(CustomResource.ScalePaths paths, ObjectNode object, ObjectNode scale) {
        scale.putObject("spec").put("replicas", at(object, paths.specReplicasPath()).asInt(0));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", at(object, paths.statusReplicasPath()).asInt(0));
        if (paths.labelSelectorPath() != null && at(object, paths.labelSelectorPath()).isTextual()) {
            status.put("selector", at(object, paths.labelSelectorPath()).asText());
        }
        return scale;
    }

    /** Writes the replicas a Scale asks for into the object: spec.replicas, or a custom resource's specReplicasPath. */
    static void setReplicas(ResourceType type, ObjectNode object, int replicas) {
        String path = type.isCustom() ? type.custom().scale().specReplicasPath() : ".spec.replicas";
        String[] fields = path.substring(1).split("\\.");
        ObjectNode parent = object;
        for (int i = 0; i < fields.length - 1; i++) {
            parent = parent.with(fields[i]);
        }
        parent.put(fields[fields.length - 1], replicas);
    }

    private static JsonNode at(ObjectNode object, String path) {
        JsonNode node = object;
        for (String field : path.substring(1).split("\\.")) {
            node = node.path(field);
        }
        return node;
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
