package dev.flotilla.apiserver.resource;

import static dev.flotilla.apiserver.resource.Requests.isDryRun;
import static dev.flotilla.apiserver.resource.Requests.parseResourceVersion;
import static dev.flotilla.apiserver.resource.Requests.respond;
import static dev.flotilla.apiserver.resource.Requests.revisionOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.crd.SchemaValidator;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.apply.FieldManager;
import jakarta.inject.Singleton;

/** {@code <workload>/scale}: get, update and patch an autoscaling/v1 Scale view of spec.replicas. */
@Singleton
public class ScaleEndpoint implements Subresource {

    private final ResourceStore store;
    private final FieldManager fieldManager;

    public ScaleEndpoint(ResourceStore store, FieldManager fieldManager) {
        this.store = store;
        this.fieldManager = fieldManager;
    }

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        ResourceType type = target.type();
        String method = request.method().name();
        ObjectNode current = store.require(type, target.namespace(), target.name());
        if (method.equals("GET")) {
            return respond(request, 200, ScaleSubresource.toScale(type, current));
        }
        ObjectNode scale;
        if (method.equals("PUT")) {
            scale = ObjectCodec.decode(request.body(), request.headers().get("Content-Type"));
        } else if (method.equals("PATCH") && FieldManager.isApply(request)) {
            throw ApiError.of(415, "UnsupportedMediaType", "server-side apply is not supported on the scale "
                    + "subresource: apply spec.replicas to the " + type.kind() + " itself");
        } else if (method.equals("PATCH")) {
            String contentType = request.headers().get("Content-Type");
            scale = Patches.apply(ScaleSubresource.toScale(type, current), Patches.parse(request.body(), contentType),
                    contentType);
        } else {
            throw ApiError.methodNotAllowed(method);
        }
        int replicas = ScaleSubresource.requestedReplicas(scale);
        String askedVersion = ObjectMetadata.of(scale).resourceVersion();
        long expected = revisionOf(ObjectMetadata.of(current).resourceVersion());
        if (askedVersion != null && !askedVersion.isEmpty() && parseResourceVersion(askedVersion) != expected) {
            throw ApiError.objectModified(type.group(), type.resource(), target.name());
        }
        ObjectNode updated = current.deepCopy();
        ScaleSubresource.setReplicas(type, updated, replicas);
        if (type.isCustom()) {
            // A custom resource's schema may bound its replicas (minimum/maximum): checked as on update.
            var errors = SchemaValidator.validate(updated, type.custom().schema());
            if (!errors.isEmpty()) {
                throw ApiError.invalid(type.group(), type.kind(), target.name(), errors);
            }
        }
        ObjectPreparation.prepareForUpdate(type, updated, current, false);
        fieldManager.recordUpdate(request, type, updated, current, name());
        if (isDryRun(request)) {
            return respond(request, 200, ScaleSubresource.toScale(type, updated));
        }
        ObjectNode stored = store.update(type, target.namespace(), target.name(), updated, expected);
        return respond(request, 200, ScaleSubresource.toScale(type, stored));
    }
}
