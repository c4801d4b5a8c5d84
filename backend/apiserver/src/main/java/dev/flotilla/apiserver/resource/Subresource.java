package dev.flotilla.apiserver.resource;

import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;

/**
 * One subresource endpoint ({@code pods/binding}, {@code deployments/scale}, …) other than
 * {@code status}, which the generic handler serves. Each is a bean; {@link ResourceHandler} sends a
 * request to the one whose {@link #name()} the URL names, if the type declares that subresource.
 */
public interface Subresource {

    /** The last path segment, e.g. {@code "scale"}. */
    String name();

    /** Whether this endpoint serves the subresource for the type (e.g. binding only for pods). */
    default boolean serves(ResourceType type) {
        return true;
    }

    /** Whether the type is the core-group resource named, e.g. {@code pods}. */
    static boolean isCore(ResourceType type, String resource) {
        return type.group().isEmpty() && type.resource().equals(resource);
    }

    ApiResponse handle(ApiRequest request, ResourceRequest target);
}
