package dev.flotilla.node.probe;

import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An httpGet handler as upstream's prober runs it: GET with {@code User-Agent: kube-probe/<version>}
 * and the handler's headers (Host included), no connection reuse, HTTPS without verifying the
 * certificate; success for a status from 200 to 399.
 */
final class HttpGetCheck {

    static final String USER_AGENT = "kube-probe/1.32";

    static {
        // A probe's headers may set Host and Connection, which the JDK refuses unless allowed.
        System.setProperty("sun.net.http.allowRestrictedHeaders", "true");
    }

    private final SSLSocketFactory insecure = insecureFactory();

    Outcome check(HTTPGetAction action, ActionTarget target, Duration timeout) {
        Optional<Integer> port = target.port(action.getPort());
        if (port.isEmpty()) {
            return Outcome.failure("unable to resolve port " + action.getPort());
        }
        String scheme = action.getScheme() == null ? "http" : action.getScheme().toLowerCase();
        String path = action.getPath() == null || action.getPath().isEmpty() ? "/" : action.getPath();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        String host = target.host(action.getHost());
        String url = scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port.get() + path;
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(insecure);
                https.setHostnameVerifier((name, session) -> true);
            }
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setUseCaches(false);
            connection.setRequestProperty("User-Agent", USER_AGENT);
            connection.setRequestProperty("Accept", "*/*");
            connection.setRequestProperty("Connection", "close");
            if (action.getHttpHeaders() != null) {
                for (HTTPHeader header : action.getHttpHeaders()) {
                    connection.setRequestProperty(header.getName(), header.getValue());
                }
            }
            int code = connection.getResponseCode();
            String body = read(code >= 400 ? connection.getErrorStream() : connection.getInputStream());
            if (code >= 200 && code < 400) {
                return new Outcome(true, body);
            }
            return Outcome.failure("HTTP probe failed with statuscode: " + code);
        } catch (IOException | IllegalArgumentException e) {
            return Outcome.failure("Get \"" + url + "\": " + e.getMessage());
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return ActionRunner.truncate(new String(in.readNBytes(10 * 1024), StandardCharsets.UTF_8));
        }
    }

    private static SSLSocketFactory insecureFactory() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
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
            }}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for HTTPS probes", e);
        }
    }
}
