package dev.flotilla.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Renders an {@link ApiSurface} as an OpenAPI 3.0 document, the shape of upstream's
 * {@code /openapi/v3/apis/<group>/<version>}: shared path parameters on the path item, operation
 * parameters inline (kubectl reads their names directly, it does not follow parameter references),
 * request and response bodies as {@code $ref}s into {@code components.schemas}, and on every
 * operation the {@code x-kubernetes-action} and single-object {@code x-kubernetes-group-version-kind}.
 */
final class OpenApiV3Writer {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OpenApiV3Writer() {
    }

    static ObjectNode write(ApiSurface surface, String serverVersion) {
        ObjectNode document = JSON.objectNode().put("openapi", "3.0.0");
        document.putObject("info").put("title", "Flotilla").put("version", serverVersion);
        ObjectNode paths = document.putObject("paths");
        for (PathItem item : surface.paths()) {
            ObjectNode path = paths.putObject(item.path());
            path.set("parameters", parameters(item.parameters()));
            for (Operation op : item.operations()) {
                path.set(op.method(), operation(op, surface.schemas()));
            }
        }
        ObjectNode schemas = document.putObject("components").putObject("schemas");
        surface.schemas().components().forEach(schemas::set);
        return document;
    }

    private static ObjectNode operation(Operation op, SchemaCollector schemas) {
        ObjectNode node = JSON.objectNode()
                .put("description", op.description())
                .put("operationId", op.operationId());
        if (!op.parameters().isEmpty()) {
            node.set("parameters", parameters(op.parameters()));
        }
        if (op.body() != null) {
            ObjectNode body = node.putObject("requestBody");
            body.set("content", content(op.body().contentTypes(), schemas.ref(op.body().type())));
            body.put("required", true);
        }
        ObjectNode responses = node.putObject("responses");
        for (Operation.Response response : op.responses()) {
            ObjectNode out = responses.putObject(Integer.toString(response.code()));
            if (response.type() != null) {
                out.set("content", content(response.contentTypes(), schemas.ref(response.type())));
            }
            out.put("description", response.description());
        }
        responses.putObject("401").put("description", "Unauthorized");
        node.put("x-kubernetes-action", op.action());
        node.set("x-kubernetes-group-version-kind", op.gvk().toExtension());
        return node;
    }

    private static ObjectNode content(List<String> contentTypes, String ref) {
        ObjectNode content = JSON.objectNode();
        for (String type : contentTypes) {
            content.putObject(type).putObject("schema").put("$ref", ref);
        }
        return content;
    }

    private static ArrayNode parameters(List<Parameter> parameters) {
        ArrayNode list = JSON.arrayNode();
        for (Parameter p : parameters) {
            ObjectNode node = list.addObject()
                    .put("description", p.description())
                    .put("in", p.in().wireName())
                    .put("name", p.name());
            if (p.required()) {
                node.put("required", true);
            }
            ObjectNode schema = node.putObject("schema").put("type", p.type()).put("uniqueItems", true);
            if (!p.allowed().isEmpty()) {
                ArrayNode values = schema.putArray("enum");
                p.allowed().forEach(values::add);
            }
        }
        return list;
    }
}
