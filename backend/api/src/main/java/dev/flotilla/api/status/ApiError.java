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
}
