package dev.flotilla.api.status;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;

/**
 * An API failure that already knows its HTTP code and its Kubernetes {@code Status} body. Thrown
 * anywhere on a request's path and turned into the response by the HTTP layer.
 */
public class ApiError extends RuntimeException {

    private final transient Status status;

    public ApiError(Status status) {
        super(status.getMessage(), null, false, false);
        this.status = status;
    }

    public Status status() {
        return status;
    }

    public int code() {
        return status.getCode();
    }

    public static ApiError of(int code, String reason, String message) {
        return new ApiError(new StatusBuilder()
                .withNewMetadata().endMetadata()
                .withStatus("Failure")
                .withCode(code)
                .withReason(reason)
                .withMessage(message)
                .build());
    }

    /** A path that names nothing this server serves; upstream answers these with a bare 404 Status. */
    public static ApiError notFoundPath() {
        return of(404, "NotFound", "the server could not find the requested resource");
    }

    public static ApiError unauthorized() {
        return of(401, "Unauthorized", "Unauthorized");
    }

    public static ApiError forbiddenPath(String user, String verb, String path) {
        return of(403, "Forbidden",
                "forbidden: User \"" + user + "\" cannot " + verb + " path \"" + path + "\"");
    }

    /**
     * 403 in upstream's words: {@code pods "web" is forbidden: <why>} (or {@code pods is forbidden: ...}
     * without a name), with details naming group, resource and name.
     */
    public static ApiError forbidden(String group, String resource, String name, String why) {
        String subject = qualified(group, resource) + (name.isEmpty() ? "" : " \"" + name + "\"");
        return withDetails(403, "Forbidden", subject + " is forbidden: " + why, group, resource,
                name.isEmpty() ? null : name);
    }

    public static ApiError methodNotAllowed(String method) {
        return of(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }

    public static ApiError badRequest(String message) {
        return of(400, "BadRequest", message);
    }

    public static ApiError requestEntityTooLarge(long limitBytes) {
        return of(413, "RequestEntityTooLarge",
                "the request body is larger than the server's limit of " + limitBytes + " bytes");
    }

    public static ApiError tooManyRequests(String message) {
        return of(429, "TooManyRequests", message);
    }

    public static ApiError internal(String message) {
        return of(500, "InternalError", "Internal error occurred: " + message);
    }

    /** {@code pods "web" not found}, with details naming the resource, as upstream. */
    public static ApiError notFound(String group, String resource, String name) {
        return withDetails(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found",
                group, resource, name);
    }

    public static ApiError alreadyExists(String group, String resource, String name) {
        return withDetails(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists",
                group, resource, name);
    }

    /** The optimistic-concurrency failure kubectl and controllers retry on. */
    public static ApiError conflict(String group, String resource, String name, String why) {
        return withDetails(409, "Conflict", "Operation cannot be fulfilled on " + qualified(group, resource) + " \""
                + name + "\": " + why, group, resource, name);
    }

    private static final String OBJECT_MODIFIED =
            "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiError objectModified(String group, String resource, String name) {
        return conflict(group, resource, name, OBJECT_MODIFIED);
    }

    /** A 409 because the object changed after it was read, which a server-side retry can resolve. */
    public boolean isObjectModified() {
        return code() == 409 && status().getMessage() != null && status().getMessage().endsWith(OBJECT_MODIFIED);
    }

    /** {@code Pod "web" is invalid: <causes>} with one cause per field error, HTTP 422. */
    public static ApiError invalid(String group, String kind, String name, java.util.List<FieldError> errors) {
        String summary = errors.size() == 1 ? errors.get(0).toString()
                : "[" + String.join(", ", errors.stream().map(FieldError::toString).toList()) + "]";
        Status status = new StatusBuilder()
                .withNewMetadata().endMetadata()
                .withStatus("Failure")
                .withCode(422)
                .withReason("Invalid")
                .withMessage(kind + (group.isEmpty() ? "" : "." + group) + " \"" + name + "\" is invalid: " + summary)
                .withNewDetails()
                .withName(name)
                .withGroup(group.isEmpty() ? null : group)
                .withKind(kind)
                .withCauses(errors.stream().map(FieldError::toCause).toList())
                .endDetails()
                .build();
        return new ApiError(status);
    }

    /** 410: the requested resourceVersion or continue token is older than what etcd still keeps. */
    public static ApiError expired(String message) {
        return of(410, "Expired", message);
    }

    public static ApiError gone(String message) {
        return of(410, "Gone", message);
    }

    public static ApiError notAcceptable(String message) {
        return of(406, "NotAcceptable", message);
    }

    public static ApiError unsupportedMediaType(String contentType) {
        return of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media "
                + "types include: application/json, application/yaml, application/vnd.kubernetes.protobuf");
    }

    /**
     * A read asked for a resourceVersion the server has not seen within its wait (upstream's
     * "Too large resource version"): 504 Timeout, retry after a second.
     */
    public static ApiError tooLargeResourceVersion(long wanted, long current) {
        return new ApiError(new StatusBuilder()
                .withNewMetadata().endMetadata()
                .withStatus("Failure")
                .withCode(504)
                .withReason("Timeout")
                .withMessage("Timeout: Too large resource version: " + wanted + ", current: " + current)
                .withNewDetails()
                .addNewCause().withReason("ResourceVersionTooLarge").withMessage("Too large resource version").endCause()
                .withRetryAfterSeconds(1)
                .endDetails()
                .build());
    }

    public static ApiError serviceUnavailable(String message) {
        return of(503, "ServiceUnavailable", message);
    }

    private static ApiError withDetails(int code, String reason, String message, String group, String resource,
            String name) {
        return new ApiError(new StatusBuilder()
                .withNewMetadata().endMetadata()
                .withStatus("Failure")
                .withCode(code)
                .withReason(reason)
                .withMessage(message)
                .withNewDetails()
                .withName(name)
                .withGroup(group.isEmpty() ? null : group)
                .withKind(resource)
                .endDetails()
                .build());
    }

    private static String qualified(String group, String resource) {
        return group.isEmpty() ? resource : resource + "." + group;
    }
}
