package dev.flotilla.apiserver.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.resource.ResourceRequest;
import jakarta.inject.Singleton;

/** {@code pods/[https:]<name>[:<port>]/proxy/<path>}: to the pod's IP, plain HTTP unless https is named. */
@Singleton
public class PodProxySubresource extends ProxySubresource {

    private final ProxyTargets targets;
    private final KubeletClient kubelet;

    public PodProxySubresource(ProxyTargets targets, KubeletClient kubelet, KubeletClientProperties properties) {
        super("pods", properties);
        this.targets = targets;
        this.kubelet = kubelet;
    }

    @Override
    Backend backend(ApiRequest request, ResourceRequest target, ProxyPath path) {
        ObjectNode pod = targets.require("pods", target.namespace(), path.name());
        String ip = pod.path("status").path("podIP").asText("");
        if (ip.isEmpty()) {
            throw ApiError.badRequest("address not allowed");
        }
        int port = path.port().isEmpty() ? 80 : Ports.parse(path.port());
        return new Backend(ip, port, path.uri(request), path.scheme().equals("https") ? kubelet.tls() : null);
    }
}
