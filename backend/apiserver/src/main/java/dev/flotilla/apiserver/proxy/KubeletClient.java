package dev.flotilla.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.pki.IssuedCertificate;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.pki.ClusterCertificates;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * How the API server reaches a node's kubelet: the node's preferred address and kubelet port from
 * its status, and TLS that trusts only kubelet certificates from the cluster CA while presenting the
 * API server's own client certificate ({@value #USER}).
 */
@Singleton
public class KubeletClient {

    static final String USER = "kube-apiserver-kubelet-client";
    private static final List<String> GROUPS = List.of("kubelet-api-admin", "system:masters");

    private final KubeletClientProperties properties;
    private final SslContext tls;

    public KubeletClient(KubeletClientProperties properties, ClusterCertificates certificates) {
        this.properties = properties;
        IssuedCertificate client = certificates.clientCertificate("apiserver-kubelet-client", USER, GROUPS);
        try {
            this.tls = SslContextBuilder.forClient()
                    .trustManager(certificates.ca().certificate())
                    .keyManager(client.privateKey(), client.certificate())
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS to kubelets: " + e.getMessage(), e);
        }
    }

    /** The kubelet of {@code node} for a request to {@code uri} (path and query). */
    public Backend kubelet(ObjectNode node, String uri) {
        return new Backend(address(node), port(node), uri, tls);
    }

    /** The TLS context for a plain HTTPS backend on the node (not the kubelet port). */
    SslContext tls() {
        return tls;
    }

    int port(ObjectNode node) {
        int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
        return port > 0 ? port : properties.getDefaultPort();
    }

    /** The first address of a preferred type, as upstream's preferred-address lookup; 500 without one. */
    String address(ObjectNode node) {
        JsonNode addresses = node.path("status").path("addresses");
        for (String type : properties.getPreferredAddressTypes()) {
            for (JsonNode address : addresses) {
                if (address.path("type").asText().equals(type) && !address.path("address").asText().isEmpty()) {
                    return address.path("address").asText();
                }
            }
        }
        List<String> known = new ArrayList<>();
        addresses.forEach(a -> known.add("{" + a.path("type").asText() + " " + a.path("address").asText() + "}"));
        throw ApiError.of(500, "InternalError", "no preferred addresses found; known addresses: ["
                + String.join(" ", known) + "]");
    }
}
