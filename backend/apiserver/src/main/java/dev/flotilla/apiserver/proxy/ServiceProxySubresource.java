package dev.flotilla.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.resource.ResourceRequest;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code services/[https:]<name>[:<port name or number>]/proxy/<path>}: to one ready address of the
 * service's Endpoints (or, without an Endpoints object, its EndpointSlices), on the endpoint port of
 * that name, picked at random as upstream does.
 */
@Singleton
public class ServiceProxySubresource extends ProxySubresource {

    private final ProxyTargets targets;
    private final KubeletClient kubelet;

    public ServiceProxySubresource(ProxyTargets targets, KubeletClient kubelet, KubeletClientProperties properties) {
        super("services", properties);
        this.targets = targets;
        this.kubelet = kubelet;
    }

    @Override
    Backend backend(ApiRequest request, ResourceRequest target, ProxyPath path) {
        ObjectNode service = targets.require("services", target.namespace(), path.name());
        String portName = !Ports.isNumber(path.port()) ? path.port()
                : servicePortName(service, Integer.parseInt(path.port())).orElseThrow(() ->
                        ApiError.serviceUnavailable("no service port " + path.port() + " found for service \""
                                + path.name() + "\""));
        String noEndpoints = "no endpoints available for service \"" + target.name() + "\"";
        List<String[]> candidates = targets.find("endpoints", target.namespace(), path.name())
                .map(endpoints -> fromEndpoints(endpoints, portName))
                .orElseGet(() -> fromSlices(targets.endpointSlicesOf(target.namespace(), path.name()), portName));
        if (candidates.isEmpty()) {
            throw ApiError.serviceUnavailable(noEndpoints);
        }
        String[] chosen = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
        return new Backend(chosen[0], Integer.parseInt(chosen[1]), path.uri(request),
                path.scheme().equals("https") ? kubelet.tls() : null);
    }

    /** Ready addresses with the port of that name, as {ip, port}, from an Endpoints object. */
    private static List<String[]> fromEndpoints(ObjectNode endpoints, String portName) {
        List<String[]> candidates = new ArrayList<>();
        for (JsonNode subset : endpoints.path("subsets")) {
            for (JsonNode port : subset.path("ports")) {
                if (port.path("name").asText("").equals(portName)) {
                    for (JsonNode address : subset.path("addresses")) {
                        candidates.add(new String[] {address.path("ip").asText(), port.path("port").asText()});
                    }
                }
            }
        }
        return candidates;
    }

    /** The same from EndpointSlices, for services whose controller writes only slices. */
    private static List<String[]> fromSlices(List<ObjectNode> slices, String portName) {
        List<String[]> candidates = new ArrayList<>();
        for (ObjectNode slice : slices) {
            for (JsonNode port : slice.path("ports")) {
                if (!port.path("name").asText("").equals(portName)) {
                    continue;
                }
                for (JsonNode endpoint : slice.path("endpoints")) {
                    if (endpoint.path("conditions").path("ready").asBoolean(true)
                            && endpoint.path("addresses").size() > 0) {
                        candidates.add(new String[] {endpoint.path("addresses").get(0).asText(),
                                port.path("port").asText()});
                    }
                }
            }
        }
        return candidates;
    }

    private static Optional<String> servicePortName(ObjectNode service, int number) {
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port.path("port").asInt() == number) {
                return Optional.of(port.path("name").asText(""));
            }
        }
        return Optional.empty();
    }
}
