package dev.flotilla.apiserver.proxy;

import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.resource.ResourceRequest;
import dev.flotilla.apiserver.resource.Subresource;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The {@code proxy} subresource of one core kind: any method and any path below
 * {@code .../<name>/proxy/} goes to the backend {@link #backend} picks, with the query and body as sent.
 */
abstract class ProxySubresource implements Subresource {

    private final String resource;
    private final KubeletClientProperties properties;

    ProxySubresource(String resource, KubeletClientProperties properties) {
        this.resource = resource;
        this.properties = properties;
    }

    /** Where the request goes, for the parsed proxy path. */
    abstract Backend backend(ApiRequest request, ResourceRequest target, ProxyPath path);

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public boolean serves(ResourceType type) {
        return type.group().isEmpty() && type.resource().equals(resource);
    }

    @Override
    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        Backend backend = backend(request, target, ProxyPath.of(request, target.name()));
        requireProxyable(backend.host());
        return ApiResponse.takeover(new BackendExchange(backend, request.method(),
                ForwardedHeaders.of(request.headers()), request.body(), properties.getConnectTimeout()));
    }

    /**
     * As upstream, the proxy does not reach loopback, link-local or unspecified addresses: they would be
     * the API server's own host, not a pod or node. {@code allow-local-proxy-targets} lifts this for
     * clusters whose nodes live on loopback (tests, one-machine setups).
     */
    private void requireProxyable(String host) {
        if (properties.isAllowLocalProxyTargets()) {
            return;
        }
        try {
            InetAddress address = InetAddress.getByName(host);
            if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()) {
                throw ApiError.badRequest("address not allowed");
            }
        } catch (UnknownHostException e) {
            throw ApiError.badRequest("address not allowed");
        }
    }
}
