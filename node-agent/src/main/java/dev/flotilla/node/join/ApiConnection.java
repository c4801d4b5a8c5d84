package dev.flotilla.node.join;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * JSON over HTTPS to the API server, with TLS pinned to one CA (or, only for fetching cluster-info
 * before anything is trusted, to none) and one credential: a bearer token or a client certificate.
 */
final class ApiConnection {

    /** An answer: the status code and the JSON body (a Status for errors). */
    record Response(int code, JsonNode body) {
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String server;
    private final HttpClient http;
    private final String bearerToken;

    private ApiConnection(String server, SSLContext tls, String bearerToken) {
        this.server = server.replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        this.bearerToken = bearerToken;
    }

    /** Anonymous, trusting any server certificate: only for data that is verified by other means. */
    static ApiConnection unverified(String server) {
        return new ApiConnection(server, tls(null, new TrustManager[] {new TrustAnyServer()}), null);
    }

    /** Anonymous, over TLS pinned to the cluster CA. */
    static ApiConnection pinned(TrustedCluster cluster) {
        return withToken(cluster, null);
    }

    static ApiConnection withToken(TrustedCluster cluster, String token) {
        return new ApiConnection(cluster.server(), tls(null, pinnedTo(cluster.ca())), token);
    }

    static ApiConnection withCertificate(TrustedCluster cluster, X509Certificate certificate, PrivateKey key) {
        return new ApiConnection(cluster.server(), tls(keyManagers(certificate, key), pinnedTo(cluster.ca())), null);
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(server + path)).GET());
    }

    Response post(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(URI.create(server + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private Response send(HttpRequest.Builder request) {
        request.timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? Json.mapper().createObjectNode()
                    : Json.mapper().readTree(response.body());
            return new Response(response.statusCode(), body);
        } catch (javax.net.ssl.SSLException e) {
            throw new JoinException("TLS with " + server + " failed (" + e.getMessage() + "): the server's "
                    + "certificate is not from the pinned cluster CA, or the address is not one it names", e);
        } catch (IOException e) {
            throw new JoinException("cannot reach the API server at " + server + ": " + e.getMessage()
                    + " (check --server and that the control plane is up)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoinException("interrupted while talking to " + server, e);
        }
    }

    private static SSLContext tls(javax.net.ssl.KeyManager[] keys, TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available", e);
        }
    }

    private static TrustManager[] pinnedTo(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the cluster CA", e);
        }
    }

    private static javax.net.ssl.KeyManager[] keyManagers(X509Certificate certificate, PrivateKey key) {
        try {
            char[] password = "node".toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("node", key, password, new X509Certificate[] {certificate});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot use the node's client certificate", e);
        }
    }

    /** Accepts any server: the discovery step verifies what it fetched by the token's signature and the pin. */
    private static final class TrustAnyServer extends javax.net.ssl.X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
