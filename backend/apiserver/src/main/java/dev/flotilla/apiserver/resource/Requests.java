package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.util.List;

/** What every verb and subresource reads off a request the same way: dryRun, resource versions, the response. */
public final class Requests {

    private static final String DRY_RUN = "dryRun";

    private Requests() {
    }

    /** {@code ?dryRun=All}; any other value is a 400 as upstream. */
    public static boolean isDryRun(ApiRequest request) {
        List<String> values = request.queryParams(DRY_RUN);
        for (String value : values) {
            if (!value.equals("All")) {
                throw ApiError.badRequest("dryRun: Unsupported value: \"" + value + "\": supported values: \"All\"");
            }
        }
        return !values.isEmpty();
    }

    /** Subresources that answer one method only (binding, eviction, token: POST) refuse the others with 405. */
    public static void requireMethod(ApiRequest request, String method) {
        if (!request.method().name().equals(method)) {
            throw ApiError.methodNotAllowed(request.method().name());
        }
    }

    /**
     * The object a get/update/patch subresource request sends, as a whole: null for GET, the body
     * for PUT, the patch applied to {@code current} for PATCH; 405 for other methods.
     */
    static ObjectNode sentObject(ApiRequest request, ObjectNode current) {
        String method = request.method().name();
        String contentType = request.headers().get("Content-Type");
        return switch (method) {
            case "GET" -> null;
            case "PUT" -> ObjectCodec.decode(request.body(), contentType);
            case "PATCH" -> Patches.apply(current, Patches.parse(request.body(), contentType), contentType);
            default -> throw ApiError.methodNotAllowed(method);
        };
    }

    /** The stored revision to write against, after checking any resourceVersion the client sent (409 if stale). */
    static long expectedRevision(ObjectNode sent, ObjectNode current, String group, String resource, String name) {
        long expected = revisionOf(ObjectMetadata.of(current).resourceVersion());
        String asked = ObjectMetadata.of(sent).resourceVersion();
        if (asked != null && !asked.isEmpty() && parseResourceVersion(asked) != expected) {
            throw ApiError.objectModified(group, resource, name);
        }
        return expected;
    }

    /** The etcd revision of a stored object's resourceVersion (always numeric: we wrote it). */
    public static long revisionOf(String resourceVersion) {
        return resourceVersion == null ? 0 : Long.parseLong(resourceVersion);
    }

    /** A resourceVersion a client sent, which may be anything. */
    public static long parseResourceVersion(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("metadata.resourceVersion: Invalid value: \"" + value
                    + "\": must be an integer");
        }
    }

    public static ApiResponse respond(ApiRequest request, int code, Object body) {
        return Responses.object(request, code, body);
    }

    public static ApiResponse warn(ApiResponse response, List<String> warnings) {
        return warnings.isEmpty() ? response : response.withHeader("Warning", FieldValidation.warningHeader(warnings));
    }

    /** 201 with a Success {@code Status}: how upstream answers subresource creates (bindings, evictions). */
    public static ApiResponse createdSuccess(ApiRequest request) {
        Status status = success();
        status.setCode(201);
        return respond(request, 201, status);
    }

    /** A {@code Status} with status Success, as upstream answers deletes and bindings. */
    public static Status success() {
        return new StatusBuilder().withNewMetadata().endMetadata().withStatus("Success").build();
    }
}
