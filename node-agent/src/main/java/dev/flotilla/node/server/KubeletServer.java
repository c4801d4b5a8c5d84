package dev.flotilla.node.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.flotilla.api.pki.PemFiles;
import dev.flotilla.api.pki.PkiException;
import dev.flotilla.api.pki.ReloadingKeyManager;
import dev.flotilla.node.kubelet.ContainerLogFiles;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The kubelet API on HTTPS: {@code /healthz} and {@code /containerLogs/{ns}/{pod}/{container}}
 * (follow, tailLines, timestamps, previous, limitBytes, sinceSeconds, sinceTime). Callers must
 * present a client certificate from the cluster CA whose common name is an allowed user (by default
 * only the API server's {@code kube-apiserver-kubelet-client}); others get 403.
 */
public final class KubeletServer implements AutoCloseable {

    public static final Set<String> DEFAULT_ALLOWED_USERS = Set.of("kube-apiserver-kubelet-client");

    private final HttpsServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "kubelet-api");
        thread.setDaemon(true);
        return thread;
    });
    private final ContainerLogFiles logs;
    private final Set<String> allowedUsers;

    public KubeletServer(String bindAddress, int port, Path certFile, Path keyFile, Path clientCaFile,
                         Set<String> allowedUsers, ContainerLogFiles logs) {
        this.logs = logs;
        this.allowedUsers = allowedUsers;
        try {
            server = HttpsServer.create(new InetSocketAddress(bindAddress, port), 64);
            SSLContext tls = tls(certFile, keyFile, clientCaFile);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    var parameters = tls.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(true);
                    params.setSSLParameters(parameters);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port, e);
        }
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
    }

    public KubeletServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!allowed((HttpsExchange) exchange)) {
                text(exchange, 403, "Forbidden: only the API server's client certificate may call the kubelet API");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/healthz")) {
                text(exchange, 200, "ok");
            } else if (path.startsWith("/containerLogs/")) {
                containerLogs(exchange, path.substring("/containerLogs/".length()).split("/"));
            } else {
                text(exchange, 404, "404 page not found");
            }
        } catch (RuntimeException e) {
            text(exchange, 500, "Internal Error: " + e.getMessage());
        }
    }

    private boolean allowed(HttpsExchange exchange) {
        try {
            Certificate[] chain = exchange.getSSLSession().getPeerCertificates();
            return chain.length > 0 && allowedUsers.contains(commonName((X509Certificate) chain[0]));
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    private void containerLogs(HttpExchange exchange, String[] parts) throws IOException {
        if (parts.length != 3) {
            text(exchange, 400, "expected /containerLogs/{namespace}/{pod}/{container}");
            return;
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Optional<Pod> pod = logs.pod(parts[0], parts[1]);
        if (pod.isEmpty()) {
            text(exchange, 404, "pod \"" + parts[1] + "\" not found");
            return;
        }
        boolean previous = flag(query, "previous");
        Optional<Path> file = logs.logFile(pod.get(), parts[2], previous);
        if (file.isEmpty()) {
            text(exchange, previous ? 400 : 404, previous
                    ? "previous terminated container \"" + parts[2] + "\" in pod \"" + parts[1] + "\" not found"
                    : "container \"" + parts[2] + "\" in pod \"" + parts[1] + "\" has no log yet");
            return;
        }
        Instant since = query.containsKey("sinceTime") ? Instant.parse(query.get("sinceTime"))
                : query.containsKey("sinceSeconds") ? Instant.now().minusSeconds(Long.parseLong(query.get("sinceSeconds")))
                : null;
        CriLogReader reader = new CriLogReader(new CriLogReader.Options(flag(query, "follow") && !previous,
                flag(query, "timestamps"), query.containsKey("tailLines") ? Integer.valueOf(query.get("tailLines")) : null,
                query.containsKey("limitBytes") ? Long.valueOf(query.get("limitBytes")) : null, since));
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            reader.copy(file.get(), out, () -> logs.running(pod.get(), parts[2]));
        } catch (IOException e) {
            // the client went away while following: nothing to answer
        }
    }

    private static boolean flag(Map<String, String> query, String name) {
        String value = query.get(name);
        return value != null && (value.isEmpty() || value.equals("true") || value.equals("1"));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void text(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return "";
        }
        return "";
    }

    /** The serving certificate is read again when its files change (rotation); the client CA once. */
    private static SSLContext tls(Path certFile, Path keyFile, Path clientCaFile) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int i = 0;
            for (X509Certificate ca : PemFiles.readCertificates(clientCaFile)) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new ReloadingKeyManager(certFile, keyFile)},
                    trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException | PkiException e) {
            throw new IllegalStateException("cannot set up the kubelet API's TLS: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
