package dev.flotilla.apiserver.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.resource.ResourceRequest;
import jakarta.inject.Singleton;

/**
 * {@code nodes/<name>[:<port>]/proxy/<path>}: to the node's kubelet over its authenticated TLS, or,
 * when another port is named, to that port on the node's address (plain HTTP unless https is named).
 */
@Singleton
public class NodeProxySubresource extends ProxySubresource {

    private final ProxyTargets targets;
    private final KubeletClient kubelet;

    public NodeProxySubresource(ProxyTargets targets, KubeletClient kubelet, KubeletClientProperties properties) {
        super("nodes", properties);
        this.targets = targets;
        this.kubelet = kubelet;
    }

    @Override
    Backend backend(ApiRequest request, ResourceRequest target, ProxyPath path) {
        ObjectNode node = targets.require("nodes", null, path.name());
        int kubeletPort = kubelet.port(node);
        if (path.port().isEmpty() || Ports.parse(path.port()) == kubeletPort) {
            return kubelet.kubelet(node, path.uri(request));
        }
        return new Backend(kubelet.address(node), Ports.parse(path.port()), path.uri(request),
                path.scheme().equals("https") ? kubelet.tls() : null);
    }
}
