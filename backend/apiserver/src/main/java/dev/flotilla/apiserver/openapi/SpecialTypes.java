package dev.flotilla.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Duration;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.runtime.RawExtension;
import java.util.Map;
import java.util.Optional;

/**
 * fabric8 classes whose JSON form is not their bean properties: they carry custom Jackson
 * serializers that write a scalar (a quantity as {@code "500m"}, an int-or-string as {@code 8080} or
 * {@code "http"}) or arbitrary JSON. Introspecting them would describe fields that never appear on the
 * wire, so their schemas are written here, under upstream's names, the way upstream publishes them.
 * The descriptions are our own one-line summaries of the wire format.
 */
final class SpecialTypes {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static final Map<Class<?>, String> NAMES = Map.of(
            IntOrString.class, "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
            Quantity.class, "io.k8s.apimachinery.pkg.api.resource.Quantity",
            MicroTime.class, "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
            Duration.class, "io.k8s.apimachinery.pkg.apis.meta.v1.Duration",
            RawExtension.class, "io.k8s.apimachinery.pkg.runtime.RawExtension");

    private SpecialTypes() {
    }

    static Optional<String> name(Class<?> type) {
        return Optional.ofNullable(NAMES.get(type));
    }

    static ObjectNode schema(Class<?> type, SchemaDialect dialect) {
        if (type == IntOrString.class) {
            return intOrString(dialect);
        }
        if (type == Quantity.class) {
            return quantity(dialect);
        }
        if (type == MicroTime.class) {
            return JSON.objectNode().put("description", "A timestamp with microsecond precision, in RFC 3339 form.")
                    .put("type", "string").put("format", "date-time");
        }
        if (type == Duration.class) {
            return JSON.objectNode().put("description", "A duration written as Go formats one, such as \"1h30m\".")
                    .put("type", "string");
        }
        if (type == RawExtension.class) {
            return JSON.objectNode().put("description", "An embedded object of any kind, kept as written.")
                    .put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        }
        throw new IllegalArgumentException(type.getName() + " is not a special type");
    }

    private static ObjectNode intOrString(SchemaDialect dialect) {
        ObjectNode schema = JSON.objectNode().put("description", "An int32 or a string, written as either.");
        if (dialect == SchemaDialect.SWAGGER_V2) {
            return schema.put("type", "string").put("format", "int-or-string");
        }
        schema.put("format", "int-or-string");
        schema.set("oneOf", alternatives("integer", "string"));
        return schema.put("x-kubernetes-int-or-string", true);
    }

    private static ObjectNode quantity(SchemaDialect dialect) {
        ObjectNode schema = JSON.objectNode()
                .put("description", "A quantity such as \"500m\", \"1Gi\" or \"2\": a string, or a plain number.");
        if (dialect == SchemaDialect.SWAGGER_V2) {
            return schema.put("type", "string");
        }
        schema.set("oneOf", alternatives("string", "number"));
        return schema;
    }

    private static ArrayNode alternatives(String... types) {
        ArrayNode list = JSON.arrayNode();
        for (String type : types) {
            list.add(JSON.objectNode().put("type", type));
        }
        return list;
    }
}
