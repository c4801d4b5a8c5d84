package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.GeneratedNames;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.resource.NameValidation.NameRule;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What every kind gets on create and update before it is stored (upstream's {@code BeforeCreate} /
 * {@code BeforeUpdate}): system metadata set by the server, the name derived from generateName,
 * identity fields kept from the stored object, generation bumped only when the spec changes, status
 * and spec split between the main resource and its status subresource, and metadata validation that
 * collects every problem with its field path.
 */
public final class ObjectPreparation {

    private static final Set<String> DNS_LABEL_NAMED = Set.of("tenants", "namespaces");
    private static final Set<String> DNS1035_NAMED = Set.of("services");
    private static final Set<String> PATH_SEGMENT_NAMED = Set.of("roles", "rolebindings", "clusterroles",
            "clusterrolebindings");

    private ObjectPreparation() {
    }

    /** Checks apiVersion/kind and the namespace of a body against the URL it was sent to. */
    static void checkBody(ResourceType type, String urlNamespace, ObjectNode body) {
        String apiVersion = body.path("apiVersion").asText("");
        String kind = body.path("kind").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion()) || !kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiError.badRequest("the API version in the data (" + apiVersion + ") does not match the expected "
                    + "API version (" + type.apiVersion() + ")" + (kind.equals(type.kind()) || kind.isEmpty() ? ""
                    : " and kind " + kind + " does not match " + type.kind()));
        }
        body.put("apiVersion", type.apiVersion());
        body.put("kind", type.kind());
        ObjectMetadata meta = ObjectMetadata.of(body);
        if (type.namespaced()) {
            String bodyNamespace = meta.namespace();
            if (bodyNamespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(urlNamespace)) {
                throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on "
                        + "the request");
            }
            meta.set("namespace", urlNamespace);
        } else {
            meta.set("namespace", null);
        }
    }

    public static void prepareForCreate(ResourceType type, ObjectNode object) {
        ObjectMetadata meta = ObjectMetadata.of(object);
        String name = meta.name();
        if ((name == null || name.isEmpty()) && meta.generateName() != null && !meta.generateName().isEmpty()) {
            meta.set("name", GeneratedNames.generate(meta.generateName()));
        }
        meta.set("uid", UUID.randomUUID().toString());
        meta.set("creationTimestamp", now());
        if (object.has("spec")) {
            // Only kinds with a spec track generations (ConfigMaps, Secrets… have none), as upstream.
            meta.set("generation", 1);
        } else {
            meta.set("generation", null);
        }
        meta.set("resourceVersion", null);
        meta.set("deletionTimestamp", null);
        meta.set("deletionGracePeriodSeconds", null);
        meta.metadata().remove("selfLink");
        if (type.hasSubresource("status") && !type.resource().equals("namespaces")) {
            object.remove("status");
        }
    }

    /**
     * Carries what the client may not change from the stored object to the new one; for the status
     * subresource only status (and nothing else) changes, for the main resource everything but
     * status.
     */
    static void prepareForUpdate(ResourceType type, ObjectNode updated, ObjectNode stored, boolean statusOnly) {
        ObjectMetadata oldMeta = ObjectMetadata.of(stored);
        ObjectMetadata newMeta = ObjectMetadata.of(updated);
        for (String field : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                "generation")) {
            JsonNode old = oldMeta.metadata().get(field);
            if (old == null) {
                newMeta.metadata().remove(field);
            } else {
                newMeta.metadata().set(field, old.deepCopy());
            }
        }
        newMeta.metadata().remove("selfLink");
        if (statusOnly) {
            JsonNode status = updated.get("status");
            ObjectNode metadata = newMeta.metadata().deepCopy();
            updated.removeAll();
            stored.fields().forEachRemaining(e -> updated.set(e.getKey(), e.getValue().deepCopy()));
            // The status subresource may not change labels, annotations or anything but status.
            updated.set("metadata", oldMetaWithVersion(stored, metadata));
            if (status == null) {
                updated.remove("status");
            } else {
                updated.set("status", status);
            }
            return;
        }
        if (type.hasSubresource("status") && !type.resource().equals("namespaces")) {
            JsonNode oldStatus = stored.get("status");
            if (oldStatus == null) {
                updated.remove("status");
            } else {
                updated.set("status", oldStatus.deepCopy());
            }
        }
        if (specChanged(stored, updated) && updated.has("spec")) {
            newMeta.set("generation", Math.max(1, oldMeta.generation()) + 1);
        }
    }

    private static ObjectNode oldMetaWithVersion(ObjectNode stored, ObjectNode newMetadata) {
        ObjectNode meta = ObjectMetadata.of(stored).metadata().deepCopy();
        // managedFields of a status write are decided by the field manager afterwards.
        for (String field : List.of("resourceVersion", "managedFields")) {
            JsonNode value = newMetadata.get(field);
            if (value != null) {
                meta.set(field, value);
            }
        }
        return meta;
    }

    /** Everything outside metadata and status counts as spec, as upstream's generation rules do. */
    private static boolean specChanged(ObjectNode stored, ObjectNode updated) {
        ObjectNode a = stored.deepCopy();
        ObjectNode b = updated.deepCopy();
        for (ObjectNode o : List.of(a, b)) {
            o.remove("metadata");
            o.remove("status");
        }
        return !a.equals(b);
    }

    /** Validates metadata; returns every problem with its path. */
    static List<FieldError> validateMetadata(ResourceType type, ObjectNode object) {
        List<FieldError> errors = new ArrayList<>();
        ObjectMetadata meta = ObjectMetadata.of(object);
        String name = meta.name();
        if (name == null || name.isEmpty()) {
            errors.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            for (String problem : NameValidation.nameProblems(name, nameRule(type))) {
                errors.add(FieldError.invalid("metadata.name", name, problem));
            }
        }
        errors.addAll(NameValidation.labels(stringMap(meta.metadata().get("labels")), "metadata.labels"));
        errors.addAll(NameValidation.annotations(stringMap(meta.metadata().get("annotations")),
                "metadata.annotations"));
        for (String field : List.of("labels", "annotations")) {
            JsonNode map = meta.metadata().get(field);
            if (map != null && !map.isNull() && !map.isObject()) {
                errors.add(FieldError.invalid("metadata." + field, map, "must be a map of string keys to string values"));
            }
        }
        return errors;
    }

    static NameRule nameRule(ResourceType type) {
        if (DNS_LABEL_NAMED.contains(type.resource())) {
            return NameRule.DNS_LABEL;
        }
        if (DNS1035_NAMED.contains(type.resource())) {
            return NameRule.DNS1035_LABEL;
        }
        if (PATH_SEGMENT_NAMED.contains(type.resource())) {
            return NameRule.PATH_SEGMENT;
        }
        return NameRule.SUBDOMAIN;
    }

    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                    : Json.mapper().convertValue(e.getValue(), String.class)));
        }
        return values;
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
