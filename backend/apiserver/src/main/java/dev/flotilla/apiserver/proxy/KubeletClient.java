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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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
    private final HttpClient http;

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
        this.http = HttpClient.newBuilder().sslContext(jdkTls(client, certificates.ca().certificate()))
                .connectTimeout(properties.getConnectTimeout()).build();
    }

    /**
     * GETs {@code path} from the node's kubelet with the same address, port and client identity as the
     * node proxy, for the API server's own reads (resource metrics); the body of a 200, else an error.
     */
    public String get(ObjectNode node, String path, Duration timeout) throws IOException {
        URI uri = URI.create("https://" + hostPort(address(node), port(node)) + path);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + ": " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String hostPort(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    private static SSLContext jdkTls(IssuedCertificate client, X509Certificate ca) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", client.privateKey(), new char[0], new Certificate[] {client.certificate()});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", ca);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
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
