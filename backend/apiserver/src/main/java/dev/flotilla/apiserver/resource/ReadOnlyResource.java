package dev.flotilla.apiserver.resource;

import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;

/**
 * A kind the API serves read-only from somewhere other than etcd (the audit log in PostgreSQL). The
 * request has passed authentication and RBAC like any other; {@link ResourceHandler} hands it to the
 * bean that {@link #serves} the type instead of the generic store.
 */
public interface ReadOnlyResource {

    boolean serves(ResourceType type);

    ApiResponse handle(ApiRequest request, ResourceRequest target);
}
