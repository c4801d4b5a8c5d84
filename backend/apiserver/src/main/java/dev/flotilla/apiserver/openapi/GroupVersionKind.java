package dev.flotilla.apiserver.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;

/**
 * A kind as the {@code x-kubernetes-group-version-kind} extension names it. kubectl compares these
 * maps for equality (explain, the fieldValidation check, apply's patch calculation), so {@code group}
 * is always present, empty for the core group, exactly as upstream writes it.
 */
record GroupVersionKind(String group, String version, String kind) {

    static GroupVersionKind of(ResourceType type) {
        return new GroupVersionKind(type.group(), type.version(), type.kind());
    }

    static GroupVersionKind listOf(ResourceType type) {
        return new GroupVersionKind(type.group(), type.version(), type.listKind());
    }

    ObjectNode toExtension() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("group", group);
        node.put("kind", kind);
        node.put("version", version);
        return node;
    }
}
