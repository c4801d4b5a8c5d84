package dev.flotilla.apiserver.resource;

import static dev.flotilla.apiserver.resource.Requests.isDryRun;
import static dev.flotilla.apiserver.resource.Requests.parseResourceVersion;
import static dev.flotilla.apiserver.resource.Requests.respond;
import static dev.flotilla.apiserver.resource.Requests.revisionOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code PUT namespaces/<name>/finalize}: the only way to change a namespace's spec.finalizers. The
 * namespace controller removes {@code kubernetes} here once the namespace is empty; a terminating
 * namespace left with no finalizers at all is deleted by that same request, as upstream.
 */
@Singleton
public class NamespaceFinalizeEndpoint implements Subresource {

    private final ResourceStore store;

    public NamespaceFinalizeEndpoint(ResourceStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "finalize";
    }

    @Override
    public boolean serves(ResourceType type) {
        return type.group().isEmpty() && type.resource().equals("namespaces");
    }

    @Override
    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        if (!request.method().name().equals("PUT")) {
            throw ApiError.methodNotAllowed(request.method().name());
        }
        ResourceType type = target.type();
        ObjectNode body = ObjectCodec.decode(request.body(), request.headers().get("Content-Type"));
        ObjectMetadata bodyMeta = ObjectMetadata.of(body);
        if (bodyMeta.name() != null && !bodyMeta.name().equals(target.name())) {
            throw ApiError.badRequest("the name of the object (" + bodyMeta.name()
                    + ") does not match the name on the URL (" + target.name() + ")");
        }
        ArrayNode finalizers = finalizers(target.name(), body.path("spec").path("finalizers"));
        ObjectNode namespace = store.require(type, null, target.name());
        ObjectMetadata meta = ObjectMetadata.of(namespace);
        long revision = revisionOf(meta.resourceVersion());
        if (bodyMeta.resourceVersion() != null && !bodyMeta.resourceVersion().isEmpty()
                && parseResourceVersion(bodyMeta.resourceVersion()) != revision) {
            throw ApiError.objectModified(type.group(), type.resource(), target.name());
        }
        namespace.with("spec").set("finalizers", finalizers);
        if (isDryRun(request)) {
            return respond(request, 200, namespace);
        }
        if (meta.deletionTimestamp() != null && finalizers.isEmpty() && !meta.hasFinalizers()) {
            store.delete(type, null, target.name(), revision);
            return respond(request, 200, namespace);
        }
        return respond(request, 200, store.update(type, null, target.name(), namespace, revision));
    }

    private static ArrayNode finalizers(String name, JsonNode requested) {
        ArrayNode finalizers = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            String finalizer = requested.get(i).asText("");
            if (!requested.get(i).isTextual() || finalizer.isEmpty()) {
                errors.add(FieldError.required("spec.finalizers[" + i + "]", ""));
            } else {
                finalizers.add(finalizer);
            }
        }
        if (!errors.isEmpty()) {
            throw ApiError.invalid("", "Namespace", name, errors);
        }
        return finalizers;
    }
}
