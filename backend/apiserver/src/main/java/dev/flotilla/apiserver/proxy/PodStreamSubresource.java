package dev.flotilla.apiserver.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.resource.ResourceRequest;
import dev.flotilla.apiserver.resource.Subresource;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}: the upgrade request goes to the
 * kubelet's path of the same name, and after its 101 the connection carries the streaming protocol
 * (WebSocket {@code v5.channel.k8s.io} …, or SPDY/3.1) between client and kubelet untouched.
 */
abstract class PodStreamSubresource implements Subresource {

    private final ProxyTargets targets;
    private final KubeletClient kubelet;
    private final KubeletClientProperties properties;

    PodStreamSubresource(ProxyTargets targets, KubeletClient kubelet, KubeletClientProperties properties) {
        this.targets = targets;
        this.kubelet = kubelet;
        this.properties = properties;
    }

    /** Whether the kubelet path names a container ({@code /exec/<ns>/<pod>/<container>}). */
    abstract boolean perContainer();

    /** The kubelet API's path for this subresource: {@code /exec}, {@code /attach}, {@code /portForward}. */
    String kubeletPath() {
        return "/" + name();
    }

    @Override
    public boolean serves(ResourceType type) {
        return type.group().isEmpty() && type.resource().equals("pods");
    }

    @Override
    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.POST)) {
            throw ApiError.methodNotAllowed(request.method().name());
        }
        ObjectNode pod = targets.require("pods", target.namespace(), target.name());
        String path = kubeletPath() + "/" + target.namespace() + "/" + target.name();
        if (perContainer()) {
            path += "/" + ProxyTargets.container(pod, request.queryParam("container"));
        }
        ObjectNode node = targets.nodeOf(pod);
        if (!request.headers().contains("Upgrade")) {
            throw ApiError.badRequest("Upgrade request required");
        }
        Map<String, List<String>> query = new LinkedHashMap<>(request.query());
        query.remove("container");
        Backend backend = kubelet.kubelet(node, ProxyPath.withQuery(path, query));
        var headers = ForwardedHeaders.of(request.headers());
        return ApiResponse.takeover(new BackendExchange(backend, request.method(), headers, request.body(),
                properties.getConnectTimeout()));
    }
}
