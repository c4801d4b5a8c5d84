package dev.flotilla.apiserver.openapi;

import dev.flotilla.apiserver.model.ModelClasses;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.AnyType;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schema of each fabric8 model class, derived with Jackson's own introspection so it describes
 * exactly the JSON Jackson reads and writes for that class: property names as serialized, types from
 * the generic signatures (lists become arrays, maps become objects with {@code additionalProperties}).
 * Another model class becomes a {@code $ref} to its own component; the catch-all
 * {@code additionalProperties} map every fabric8 class carries for unknown fields is not a field and
 * is left out.
 *
 * <p>Schemas depend only on the classes, so each is built once and shared by every document of its
 * dialect. Lists that strategic merge patch merges by key are marked ({@link PatchStrategies}).
 * Nothing here knows field descriptions or required fields: fabric8 does not carry them.
 */
final class ModelSchemas {

    /** One class's schema and the classes its {@code $ref}s point at. */
    record Component(String name, ObjectNode schema, Set<Class<?>> references) {
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final SchemaDialect dialect;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Class<?>, Component> cache = new ConcurrentHashMap<>();

    ModelSchemas(SchemaDialect dialect) {
        this.dialect = dialect;
    }

    SchemaDialect dialect() {
        return dialect;
    }

    /** Whether {@code type} is published as a named component (and referenced) rather than inline. */
    static boolean isComponent(Class<?> type) {
        return SpecialTypes.name(type).isPresent() || isModelBean(type);
    }

    /** The component of a special type or model class; callers must not modify the returned schema. */
    Component component(Class<?> type) {
        return cache.computeIfAbsent(type, this::build);
    }

    /** The component name of a special type or model class, without building its schema. */
    static String nameOf(Class<?> type) {
        return SpecialTypes.name(type).orElseGet(() -> ComponentNames.of(type));
    }

    private Component build(Class<?> type) {
        if (SpecialTypes.name(type).isPresent()) {
            return new Component(nameOf(type), SpecialTypes.schema(type, dialect), Set.of());
        }
        if (!isModelBean(type)) {
            throw new IllegalArgumentException(type.getName() + " is not a fabric8 model class");
        }
        BeanDescription bean = mapper.getSerializationConfig().introspect(mapper.constructType(type));
        Map<String, ObjectNode> properties = new TreeMap<>();
        Set<Class<?>> references = new HashSet<>();
        // fabric8's catch-all map of unknown fields is an any-getter, which Jackson keeps out of the
        // properties; a real field that happens to be named additionalProperties (JSONSchemaProps) stays.
        for (BeanPropertyDefinition property : bean.findProperties()) {
            if (property.couldSerialize()) {
                ObjectNode propertySchema = schemaOf(property.getPrimaryType(), references);
                PatchStrategies.annotate(type, property.getName(), propertySchema);
                properties.put(property.getName(), propertySchema);
            }
        }
        ObjectNode schema = JSON.objectNode().put("type", "object");
        if (!properties.isEmpty()) {
            ObjectNode props = schema.putObject("properties");
            properties.forEach(props::set);
        } else if (bean.findAnyGetter() != null) {
            // Nothing but the catch-all (FieldsV1, Patch): a free-form object.
            schema.put("x-kubernetes-preserve-unknown-fields", true);
        }
        return new Component(nameOf(type), schema, Set.copyOf(references));
    }

    /** The inline schema of a property of {@code type}; model classes it names are added to {@code references}. */
    private ObjectNode schemaOf(JavaType type, Set<Class<?>> references) {
        Class<?> raw = type.getRawClass();
        if (raw == byte[].class) {
            return scalar("string", "byte");
        }
        if (type.isMapLikeType()) {
            ObjectNode map = JSON.objectNode().put("type", "object");
            map.set("additionalProperties", schemaOf(type.getContentType(), references));
            return map;
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            ObjectNode array = JSON.objectNode().put("type", "array");
            array.set("items", schemaOf(type.getContentType(), references));
            return array;
        }
        ObjectNode scalar = scalarOf(raw);
        if (scalar != null) {
            return scalar;
        }
        if (raw.isEnum()) {
            ArrayNode values = JSON.arrayNode();
            for (Object constant : raw.getEnumConstants()) {
                values.add(mapper.convertValue(constant, String.class));
            }
            ObjectNode schema = scalar("string", null);
            schema.set("enum", values);
            return schema;
        }
        if (isComponent(raw)) {
            references.add(raw);
            return JSON.objectNode().put("$ref", dialect.ref(nameOf(raw)));
        }
        // Object, JsonNode, interfaces and custom-serialized types: any JSON value may appear here.
        return JSON.objectNode().put("x-kubernetes-preserve-unknown-fields", true);
    }

    private static ObjectNode scalarOf(Class<?> raw) {
        if (raw == String.class || raw == char.class || raw == Character.class) {
            return scalar("string", null);
        }
        if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class
                || raw == Byte.class || raw == byte.class) {
            return scalar("integer", "int32");
        }
        if (raw == Long.class || raw == long.class || raw == BigInteger.class) {
            return scalar("integer", "int64");
        }
        if (raw == Double.class || raw == double.class || raw == BigDecimal.class) {
            return scalar("number", "double");
        }
        if (raw == Float.class || raw == float.class) {
            return scalar("number", "float");
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return scalar("boolean", null);
        }
        return null;
    }

    private static ObjectNode scalar(String type, String format) {
        ObjectNode node = JSON.objectNode().put("type", type);
        return format == null ? node : node.put("format", format);
    }

    /**
     * A concrete fabric8 class whose JSON is its bean properties. Classes with their own serializer
     * (and {@link AnyType}, which holds any JSON value) are not: their properties say nothing about
     * the wire format.
     */
    private static boolean isModelBean(Class<?> type) {
        if (!type.getPackageName().startsWith(ModelClasses.BASE_PACKAGE) || type.isInterface() || type.isEnum()
                || Modifier.isAbstract(type.getModifiers()) || AnyType.class.isAssignableFrom(type)) {
            return false;
        }
        JsonSerialize serialize = type.getAnnotation(JsonSerialize.class);
        return serialize == null || serialize.using() == JsonSerializer.None.class;
    }
}
