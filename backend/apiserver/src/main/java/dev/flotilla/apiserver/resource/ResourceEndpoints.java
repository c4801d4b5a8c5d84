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
import java.util.Map;
import java.util.Optional;

/** Routes {@code /api/**} and {@code /apis/**} to the discovery documents or to a resource verb. */
@Singleton
public class ResourceEndpoints implements RouteProvider {

    private final ResourceRegistry registry;
    private final DiscoveryDocuments discovery;
    private final AggregatedDiscovery aggregated;
    private final ResourceHandler resources;
    private final String serverAddress;

    public ResourceEndpoints(ResourceRegistry registry, DiscoveryDocuments discovery, AggregatedDiscovery aggregated,
            ResourceHandler resources, ApiServerProperties properties) {
        this.registry = registry;
        this.discovery = discovery;
        this.aggregated = aggregated;
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
            Optional<String> version = DiscoveryMediaType.requestedVersion(request.headers().get("Accept"));
            if (version.isPresent()) {
                return aggregated(request, root.legacy(), version.get());
            }
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

    /** The aggregated document with an ETag; a matching If-None-Match gets 304 and no body. */
    private ApiResponse aggregated(ApiRequest request, boolean legacy, String version) {
        byte[] body = ObjectCodec.encode(aggregated.document(legacy, DiscoveryMediaType.GROUP + "/" + version), false);
        String etag = "\"" + sha256Hex(body) + "\"";
        Map<String, String> headers = Map.of("ETag", etag, "Vary", "Accept");
        if (etag.equals(request.headers().get("If-None-Match"))) {
            return new ApiResponse(304, DiscoveryMediaType.contentType(version), new byte[0], headers);
        }
        return new ApiResponse(200, DiscoveryMediaType.contentType(version), body, headers);
    }

    private static String sha256Hex(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
