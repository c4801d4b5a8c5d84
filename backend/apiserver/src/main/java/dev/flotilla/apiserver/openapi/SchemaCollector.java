package dev.flotilla.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gathers the schemas one document needs: every body type its operations name plus everything
 * those reference, transitively, so each {@code $ref} resolves inside the document (kubectl resolves
 * references only within the document it downloaded). Top-level kinds are tagged with
 * {@code x-kubernetes-group-version-kind}, which is how kubectl explain and apply find a kind's schema.
 */
final class SchemaCollector {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ModelSchemas models;
    private final Map<String, ObjectNode> components = new TreeMap<>();
    private final Map<String, List<GroupVersionKind>> kinds = new LinkedHashMap<>();
    private final Map<String, Class<?>> includedByName = new HashMap<>();

    SchemaCollector(ModelSchemas models) {
        this.models = models;
    }

    /** The {@code $ref} of a body type's component, which this document will then contain. */
    String ref(BodyType body) {
        return models.dialect().ref(include(body));
    }

    /** Tags the component of {@code body} as the schema of {@code gvk}. */
    void markKind(BodyType body, GroupVersionKind gvk) {
        List<GroupVersionKind> tagged = kinds.computeIfAbsent(include(body), name -> new ArrayList<>());
        if (!tagged.contains(gvk)) {
            tagged.add(gvk);
        }
    }

    /** Every component by name, sorted, kinds tagged and described; fresh copies the caller may keep. */
    Map<String, ObjectNode> components() {
        Map<String, ObjectNode> result = new TreeMap<>();
        components.forEach((name, schema) -> {
            ObjectNode copy = schema.deepCopy();
            List<GroupVersionKind> tagged = kinds.get(name);
            if (tagged != null) {
                GroupVersionKind first = tagged.get(0);
                copy.put("description", first.kind() + " of " + apiVersion(first) + ". This server publishes the "
                        + "fields and their types; their descriptions are in the Kubernetes API reference.");
                ArrayNode extension = copy.putArray("x-kubernetes-group-version-kind");
                tagged.forEach(gvk -> extension.add(gvk.toExtension()));
            }
            result.put(name, copy);
        });
        return result;
    }

    private String include(BodyType body) {
        if (body instanceof BodyType.Model model) {
            includeModel(model.type());
            return ModelSchemas.nameOf(model.type());
        }
        // Open schemas reference other components, so they are built before being added, not inside
        // a computeIfAbsent on the same map.
        if (body instanceof BodyType.OpenKind open) {
            String name = openName(open.gvk());
            if (!components.containsKey(name)) {
                components.put(name, openKind(open.schema()));
            }
            return name;
        }
        BodyType.OpenList list = (BodyType.OpenList) body;
        String name = openName(list.gvk());
        if (!components.containsKey(name)) {
            components.put(name, openList(ref(list.item())));
        }
        return name;
    }

    private void includeModel(Class<?> root) {
        Deque<Class<?>> pending = new ArrayDeque<>(List.of(root));
        while (!pending.isEmpty()) {
            Class<?> type = pending.pop();
            Class<?> previous = includedByName.putIfAbsent(ModelSchemas.nameOf(type), type);
            if (previous == null) {
                ModelSchemas.Component component = models.component(type);
                components.put(component.name(), component.schema());
                pending.addAll(component.references());
            } else if (previous != type) {
                throw new IllegalStateException(previous.getName() + " and " + type.getName()
                        + " would both be published as " + ModelSchemas.nameOf(type));
            }
        }
    }

    /** Open kinds are named as upstream names custom resources: reversed group, version, kind. */
    private static String openName(GroupVersionKind gvk) {
        List<String> labels = new ArrayList<>(List.of(gvk.group().split("\\.")));
        java.util.Collections.reverse(labels);
        return String.join(".", labels) + "." + gvk.version() + "." + gvk.kind();
    }

    /** A custom resource's own schema (as this dialect can say it) with the standard fields, or an open object. */
    private ObjectNode openKind(com.fasterxml.jackson.databind.JsonNode declared) {
        ObjectNode schema = declared != null && declared.isObject()
                ? CustomResourceSchemas.forDialect((ObjectNode) declared, models.dialect())
                : JSON.objectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        schema.put("type", "object");
        ObjectNode properties = schema.with("properties");
        properties.putObject("apiVersion").put("type", "string");
        properties.putObject("kind").put("type", "string");
        properties.putObject("metadata").put("$ref", ref(BodyType.model(ObjectMeta.class)));
        return schema;
    }

    private ObjectNode openList(String itemRef) {
        ObjectNode schema = JSON.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("apiVersion").put("type", "string");
        ObjectNode items = properties.putObject("items").put("type", "array");
        items.putObject("items").put("$ref", itemRef);
        properties.putObject("kind").put("type", "string");
        properties.putObject("metadata").put("$ref", ref(BodyType.model(ListMeta.class)));
        return schema;
    }

    private static String apiVersion(GroupVersionKind gvk) {
        return gvk.group().isEmpty() ? gvk.version() : gvk.group() + "/" + gvk.version();
    }
}
