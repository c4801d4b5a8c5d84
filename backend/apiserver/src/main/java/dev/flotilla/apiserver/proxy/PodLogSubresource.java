package dev.flotilla.apiserver.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.resource.ResourceRequest;
import dev.flotilla.apiserver.resource.Subresource;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pods/log}: the container's log from the kubelet ({@code /containerLogs/<ns>/<pod>/<container>}),
 * streamed back as it arrives, so {@code kubectl logs -f} follows. A pod not yet on a node has no log:
 * an empty answer, as upstream.
 */
@Singleton
public class PodLogSubresource implements Subresource {

    private static final List<String> KUBELET_OPTIONS = List.of("follow", "previous", "timestamps", "sinceSeconds",
            "sinceTime", "tailLines", "limitBytes");

    private final ProxyTargets targets;
    private final KubeletClient kubelet;
    private final KubeletClientProperties properties;

    public PodLogSubresource(ProxyTargets targets, KubeletClient kubelet, KubeletClientProperties properties) {
        this.targets = targets;
        this.kubelet = kubelet;
        this.properties = properties;
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public boolean serves(ResourceType type) {
        return type.group().isEmpty() && type.resource().equals("pods");
    }

    @Override
    public ApiResponse handle(ApiRequest request, ResourceRequest target) {
        if (!request.method().equals(HttpMethod.GET)) {
            throw ApiError.methodNotAllowed(request.method().name());
        }
        ObjectNode pod = targets.require("pods", target.namespace(), target.name());
        String container = ProxyTargets.container(pod, request.queryParam("container"));
        if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
            return ApiResponse.text(200, "");
        }
        ObjectNode node = targets.nodeOf(pod);
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (String option : KUBELET_OPTIONS) {
            if (request.hasQueryParam(option)) {
                options.put(option, request.queryParams(option));
            }
        }
        String path = "/containerLogs/" + target.namespace() + "/" + target.name() + "/" + container;
        Backend backend = kubelet.kubelet(node, ProxyPath.withQuery(path, options));
        return ApiResponse.takeover(new BackendExchange(backend, HttpMethod.GET, new DefaultHttpHeaders(), new byte[0],
                properties.getConnectTimeout()));
    }
}
