package dev.flotilla.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders an {@link ApiSurface} as one Swagger 2.0 document, the shape of upstream's
 * {@code /openapi/v2}: request bodies become {@code in: body} parameters, content types move to
 * {@code consumes}/{@code produces}, and schemas live under {@code definitions}. Older clients and
 * tools that only know Swagger 2.0 read this one.
 */
final class SwaggerV2Writer {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SwaggerV2Writer() {
    }

    static ObjectNode write(ApiSurface surface, String serverVersion) {
        ObjectNode document = JSON.objectNode().put("swagger", "2.0");
        document.putObject("info").put("title", "Flotilla").put("version", serverVersion);
        ObjectNode paths = document.putObject("paths");
        for (PathItem item : surface.paths()) {
            ObjectNode path = paths.putObject(item.path());
            path.set("parameters", parameters(item.parameters()));
            for (Operation op : item.operations()) {
                path.set(op.method(), operation(op, surface.schemas()));
            }
        }
        ObjectNode definitions = document.putObject("definitions");
        surface.schemas().components().forEach(definitions::set);
        return document;
    }

    private static ObjectNode operation(Operation op, SchemaCollector schemas) {
        ObjectNode node = JSON.objectNode().put("description", op.description());
        if (op.body() != null) {
            strings(node.putArray("consumes"), op.body().contentTypes());
        }
        node.put("operationId", op.operationId());
        ArrayNode params = parameters(op.parameters());
        if (op.body() != null) {
            params.addObject().put("in", "body").put("name", "body").put("required", true)
                    .putObject("schema").put("$ref", schemas.ref(op.body().type()));
        }
        if (!params.isEmpty()) {
            node.set("parameters", params);
        }
        Set<String> produces = new LinkedHashSet<>();
        ObjectNode responses = JSON.objectNode();
        for (Operation.Response response : op.responses()) {
            ObjectNode out = responses.putObject(Integer.toString(response.code()))
                    .put("description", response.description());
            if (response.type() != null) {
                out.putObject("schema").put("$ref", schemas.ref(response.type()));
                produces.addAll(response.contentTypes());
            }
        }
        responses.putObject("401").put("description", "Unauthorized");
        strings(node.putArray("produces"), List.copyOf(produces));
        node.set("responses", responses);
        strings(node.putArray("schemes"), List.of("https"));
        node.put("x-kubernetes-action", op.action());
        node.set("x-kubernetes-group-version-kind", op.gvk().toExtension());
        return node;
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
            node.put("type", p.type()).put("uniqueItems", true);
            if (!p.allowed().isEmpty()) {
                strings(node.putArray("enum"), p.allowed());
            }
        }
        return list;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
