package dev.flotilla.apiserver.model;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds, and removes, the fields of an object that its kind does not have, walking the JSON tree
 * alongside the kind's typed model (fabric8 classes, read through Jackson's own introspection). This
 * is what upstream's decoding into Go structs does: unknown fields are dropped, and reported as a
 * warning or an error according to {@code fieldValidation}.
 */
public final class UnknownFields {

    private static final Map<JavaType, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();
    private static final Set<String> ALWAYS_KNOWN = Set.of("apiVersion", "kind");

    private UnknownFields() {
    }

    /** Removes unknown fields from {@code object} and returns their paths ({@code spec.foo}, {@code bar}). */
    public static List<String> prune(ObjectNode object, Class<?> model) {
        List<String> unknown = new ArrayList<>();
        walk(object, Json.mapper().constructType(model), "", unknown);
        return unknown;
    }

    private static void walk(JsonNode node, JavaType type, String path, List<String> unknown) {
        if (node == null || node.isNull()) {
            return;
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), type.getContentType(), path + "[" + i + "]", unknown);
                }
            }
            return;
        }
        if (type.isMapLikeType()) {
            if (node.isObject()) {
                node.fields().forEachRemaining(e -> walk(e.getValue(), type.getContentType(),
                        path + "[" + e.getKey() + "]", unknown));
            }
            return;
        }
        if (isLeaf(type) || !(node instanceof ObjectNode object)) {
            return;
        }
        Map<String, JavaType> properties = properties(type);
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String fieldPath = path.isEmpty() ? name : path + "." + name;
            JavaType propertyType = properties.get(name);
            if (propertyType == null) {
                if (!ALWAYS_KNOWN.contains(name)) {
                    unknown.add(fieldPath);
                    fields.remove();
                }
                continue;
            }
            walk(field.getValue(), propertyType, fieldPath, unknown);
        }
    }

    /**
     * Scalars, enums, types with their own JSON form (IntOrString, Quantity, RawExtension …),
     * managedFields' FieldsV1, which is free-form JSON, and CRD schemas (JSONSchemaProps), whose keys
     * such as additionalProperties the model cannot walk.
     */
    private static boolean isLeaf(JavaType type) {
        Class<?> raw = type.getRawClass();
        return raw == io.fabric8.kubernetes.api.model.FieldsV1.class || raw.isPrimitive()
                || raw.getSimpleName().equals("JSONSchemaProps") || raw.isEnum() || raw.getName().startsWith("java.")
                || raw == Object.class || raw.isAnnotationPresent(JsonDeserialize.class)
                && raw.getAnnotation(JsonDeserialize.class).using()
                        != com.fasterxml.jackson.databind.JsonDeserializer.None.class
                || !raw.getName().startsWith(ModelClasses.BASE_PACKAGE) && !raw.getName().startsWith("io.fabric8");
    }

    private static Map<String, JavaType> properties(JavaType type) {
        return PROPERTIES.computeIfAbsent(type, t -> {
            BeanDescription description = Json.mapper().getDeserializationConfig().introspect(t);
            Map<String, JavaType> byName = new ConcurrentHashMap<>();
            for (BeanPropertyDefinition property : description.findProperties()) {
                if (property.getName().equals("additionalProperties") || !property.couldDeserialize()) {
                    continue;
                }
                byName.put(property.getName(), property.getPrimaryType());
            }
            return byName;
        });
    }
}
