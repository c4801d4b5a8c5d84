package dev.flotilla.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A CRD's openAPIV3Schema as a published component: unchanged for OpenAPI v3; for Swagger 2.0 without
 * what 2.0 cannot say ({@code nullable}, {@code oneOf}/{@code anyOf}/{@code allOf}/{@code not}), and
 * int-or-string fields left untyped, as upstream's {@code /openapi/v2} publishes custom resources.
 */
final class CustomResourceSchemas {

    private static final List<String> NOT_IN_V2 = List.of("nullable", "oneOf", "anyOf", "allOf", "not");

    private CustomResourceSchemas() {
    }

    static ObjectNode forDialect(ObjectNode schema, SchemaDialect dialect) {
        ObjectNode copy = schema.deepCopy();
        if (dialect == SchemaDialect.SWAGGER_V2) {
            strip(copy);
        }
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            NOT_IN_V2.forEach(object::remove);
            if (object.path("x-kubernetes-int-or-string").asBoolean(false)) {
                object.remove("type");
            }
            for (String nested : List.of("properties", "patternProperties")) {
                JsonNode children = object.get(nested);
                if (children != null) {
                    for (Map.Entry<String, JsonNode> child : (Iterable<Map.Entry<String, JsonNode>>) children::fields) {
                        strip(child.getValue());
                    }
                }
            }
            strip(object.get("items"));
            if (object.path("additionalProperties").isObject()) {
                strip(object.get("additionalProperties"));
            }
        }
    }
}
