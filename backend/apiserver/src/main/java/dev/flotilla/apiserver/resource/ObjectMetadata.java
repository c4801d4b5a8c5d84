package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads and writes {@code metadata} fields of an object held as a JSON tree. The API server keeps
 * objects as trees end to end, so one code path serves every kind, custom resources included, and
 * no field a client sent is lost in a round trip through typed classes.
 */
public final class ObjectMetadata {

    private final ObjectNode object;

    private ObjectMetadata(ObjectNode object) {
        this.object = object;
    }

    public static ObjectMetadata of(ObjectNode object) {
        return new ObjectMetadata(object);
    }

    public ObjectNode metadata() {
        JsonNode meta = object.get("metadata");
        if (meta instanceof ObjectNode node) {
            return node;
        }
        return object.putObject("metadata");
    }

    public String name() {
        return text("name");
    }

    public String namespace() {
        return text("namespace");
    }

    public String generateName() {
        return text("generateName");
    }

    public String uid() {
        return text("uid");
    }

    public String resourceVersion() {
        return text("resourceVersion");
    }

    public long generation() {
        JsonNode value = metadata().get("generation");
        return value == null ? 0 : value.asLong();
    }

    public String deletionTimestamp() {
        return text("deletionTimestamp");
    }

    public boolean hasFinalizers() {
        JsonNode finalizers = metadata().get("finalizers");
        return finalizers != null && finalizers.isArray() && !finalizers.isEmpty();
    }

    public ObjectMetadata set(String field, String value) {
        if (value == null) {
            metadata().remove(field);
        } else {
            metadata().put(field, value);
        }
        return this;
    }

    public ObjectMetadata set(String field, long value) {
        metadata().put(field, value);
        return this;
    }

    public ObjectNode labels() {
        JsonNode labels = metadata().get("labels");
        return labels instanceof ObjectNode node ? node : JsonNodeFactory.instance.objectNode();
    }

    public String text(String field) {
        JsonNode value = metadata().get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
