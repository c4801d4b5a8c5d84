package dev.flotilla.apiserver.crd.cel;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL types of a structural schema, as upstream declares them: an object with properties is a
 * type of its own whose fields are the (escaped) properties, so a rule naming an unknown field does
 * not compile; an object with additionalProperties is a {@code map(string, T)}; an array a
 * {@code list(T)}; integer, number, string and boolean are {@code int}, {@code double},
 * {@code string} and {@code bool}; int-or-string and preserved unknown fields are {@code dyn}. The
 * resource root and embedded resources also have {@code apiVersion}, {@code kind} and
 * {@code metadata} (its {@code name} and {@code generateName}).
 */
final class SchemaCelTypes implements CelTypeProvider {

    private final Map<String, CelType> types = new HashMap<>();
    private final StructType metadata;

    SchemaCelTypes() {
        Map<String, CelType> fields = new LinkedHashMap<>();
        fields.put("name", SimpleType.STRING);
        fields.put("generateName", SimpleType.STRING);
        metadata = struct("kubernetes.ObjectMeta", fields);
    }

    /** The type of the resource root (or of any node, when {@code root} is false); names derive from {@code path}. */
    CelType typeOf(JsonNode schema, String path, boolean root) {
        if (schema == null || schema.isMissingNode() || schema.isNull()) {
            return SimpleType.DYN;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return SimpleType.DYN;
        }
        String type = schema.path("type").asText("");
        return switch (type) {
            case "object" -> objectType(schema, path, root);
            case "array" -> ListType.create(schema.path("items").isObject()
                    ? typeOf(schema.path("items"), path + ".@items", false) : SimpleType.DYN);
            case "integer" -> SimpleType.INT;
            case "number" -> SimpleType.DOUBLE;
            case "string" -> SimpleType.STRING;
            case "boolean" -> SimpleType.BOOL;
            default -> SimpleType.DYN;
        };
    }

    private CelType objectType(JsonNode schema, String path, boolean root) {
        boolean resource = root || schema.path("x-kubernetes-embedded-resource").asBoolean(false);
        JsonNode properties = schema.path("properties");
        if (!properties.isObject() || properties.isEmpty()) {
            if (schema.path("additionalProperties").isObject()) {
                return MapType.create(SimpleType.STRING,
                        typeOf(schema.path("additionalProperties"), path + ".@additionalProperties", false));
            }
            if (!resource) {
                return MapType.create(SimpleType.STRING, SimpleType.DYN);
            }
        }
        Map<String, CelType> fields = new LinkedHashMap<>();
        if (resource) {
            fields.put("apiVersion", SimpleType.STRING);
            fields.put("kind", SimpleType.STRING);
            fields.put("metadata", metadata);
        }
        Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> property = it.next();
            if (resource && property.getKey().equals("metadata")) {
                continue;
            }
            Optional<String> name = CelFieldNames.escape(property.getKey());
            name.ifPresent(n -> fields.put(n, typeOf(property.getValue(), path + "." + n, false)));
        }
        return struct(path, fields);
    }

    private StructType struct(String name, Map<String, CelType> fields) {
        Map<String, CelType> copy = Map.copyOf(fields);
        StructType type = StructType.create(name, ImmutableSet.copyOf(fields.keySet()),
                field -> Optional.ofNullable(copy.get(field)));
        types.put(name, type);
        return type;
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(types.values());
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        return Optional.ofNullable(types.get(typeName));
    }
}
