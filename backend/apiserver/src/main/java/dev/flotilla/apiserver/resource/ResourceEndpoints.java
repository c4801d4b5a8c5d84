package dev.flotilla.apiserver.resource;

import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.Route;
import dev.flotilla.apiserver.http.RouteProvider;
import jakarta.inject.Singleton;
import java.util.List;

/** Routes {@code /api/**} and {@code /apis/**} to the discovery documents or to a resource verb. */
@Singleton
public class ResourceEndpoints implements RouteProvider {

    private final ResourceRegistry registry;
    private final DiscoveryDocuments discovery;
    private final ResourceHandler resources;
    private final String serverAddress;

    public ResourceEndpoints(ResourceRegistry registry, DiscoveryDocuments discovery, ResourceHandler resources,
            ApiServerProperties properties) {
        this.registry = registry;
        this.discovery = discovery;
        this.resources = resources;
        this.serverAddress = properties.getAdvertiseHost() + ":" + properties.getPort();
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.tree("/api", false, this::serve), Route.tree("/apis", false, this::serve));
    }

    private ApiResponse serve(ApiRequest request) {
        ApiPath path = ApiPath.parse(request.path(), registry);
        if (path instanceof ApiPath.Resource resource) {
            return resources.handle(request, resource.request());
        }
        if (!request.method().name().equals("GET")) {
            throw ApiError.methodNotAllowed(request.method().name());
        }
        Object document;
        if (path instanceof ApiPath.Root root) {
            document = root.legacy() ? discovery.coreVersions(serverAddress) : discovery.groups();
        } else if (path instanceof ApiPath.Group group) {
            document = discovery.group(group.group());
        } else if (path instanceof ApiPath.GroupVersion gv) {
            document = discovery.resources(gv.group(), gv.version());
        } else {
            throw ApiError.notFoundPath();
        }
        return Responses.object(request, 200, document);
    }
}
