package dev.flotilla.testsupport;

import dev.flotilla.api.pki.PemFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS client for tests that trusts only the cluster CA and, optionally, presents a client
 * certificate, as kubectl does with a kubeconfig.
 */
public final class HttpsClient {

    private final HttpClient client;
    private final String baseUrl;

    private HttpsClient(HttpClient client, String baseUrl) {
        this.client = client;
        this.baseUrl = baseUrl;
    }

    /** Anonymous: trusts the CA in {@code pkiDir/ca.crt}, presents no certificate. */
    public static HttpsClient anonymous(String baseUrl, Path pkiDir) {
        return new HttpsClient(build(pkiDir.resolve("ca.crt"), null, null), baseUrl);
    }

    /** Authenticated with {@code pkiDir/<name>.crt} and {@code .key} (for example the admin's). */
    public static HttpsClient withClientCertificate(String baseUrl, Path pkiDir, String name) {
        return new HttpsClient(build(pkiDir.resolve("ca.crt"), pkiDir.resolve(name + ".crt"),
                pkiDir.resolve(name + ".key")), baseUrl);
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("request to " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Sends without waiting, with any body handler (for example one that reads a watch line by line). */
    public <T> java.util.concurrent.CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        return client.sendAsync(request, handler);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The TLS set-up (trusted CA, client certificate) for connections this client cannot make, such as raw sockets. */
    public SSLContext sslContext() {
        return client.sslContext();
    }

    private static HttpClient build(Path caFile, Path certFile, Path keyFile) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", PemFiles.readCertificate(caFile));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (certFile != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                PrivateKey key = PemFiles.readPrivateKey(keyFile);
                keys.setKeyEntry("client", key, new char[0],
                        PemFiles.readCertificates(certFile).toArray(X509Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS from " + caFile, e);
        }
    }
}
