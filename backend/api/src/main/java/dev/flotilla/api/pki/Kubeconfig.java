package dev.flotilla.api.pki;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** Renders self-contained kubeconfig files (certificates embedded as base64 data). */
public final class Kubeconfig {

    private Kubeconfig() {
    }

    public static String forClientCertificate(String cluster, String server, X509Certificate ca, String user,
            X509Certificate clientCert, PrivateKey clientKey) {
        String context = user + "@" + cluster;
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    certificate-authority-data: %3$s
                users:
                - name: %4$s
                  user:
                    client-certificate-data: %5$s
                    client-key-data: %6$s
                contexts:
                - name: %7$s
                  context:
                    cluster: %1$s
                    user: %4$s
                current-context: %7$s
                preferences: {}
                """.formatted(cluster, server, base64Pem(ca), user, base64Pem(clientCert), base64Pem(clientKey),
                context);
    }

    /**
     * The kubeconfig kubeadm publishes in {@code kube-public/cluster-info}: one nameless cluster with the
     * server URL and the CA, no users. Its exact text is what bootstrap signatures sign.
     */
    public static String forClusterInfo(String server, X509Certificate ca) {
        return """
                apiVersion: v1
                clusters:
                - cluster:
                    certificate-authority-data: %s
                    server: %s
                  name: ""
                contexts: null
                current-context: ""
                kind: Config
                preferences: {}
                users: null
                """.formatted(base64Pem(ca), server);
    }

    private static String base64Pem(Object certificateOrKey) {
        return Base64.getEncoder().encodeToString(PemFiles.toPem(certificateOrKey).getBytes(StandardCharsets.US_ASCII));
    }
}
