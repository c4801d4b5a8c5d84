package dev.flotilla.node;

import dev.flotilla.api.pki.ReloadingKeyManager;
import dev.flotilla.node.join.NodeCredentials;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;

/** The agent's client of the API server, from a kubeconfig given to it or from the credentials join left. */
final class NodeApiClients {

    private NodeApiClients() {
    }

    /** A client for this kubeconfig as it is (an admin's, or one a test made). */
    static KubernetesClient fromKubeconfig(Path kubeconfig) {
        return new KubernetesClientBuilder().withConfig(config(kubeconfig)).build();
    }

    /**
     * A client for the joined node: {@code kubelet.kubeconfig} for the server and CA, and the client
     * certificate read again from {@code pki/} whenever rotation replaces it, so the agent never has to
     * restart for a renewed certificate.
     */
    static KubernetesClient fromJoinedNode(NodeCredentials credentials) {
        Path kubeconfig = credentials.kubeconfig();
        if (!Files.exists(kubeconfig)) {
            throw new IllegalStateException("the node has not joined: no " + kubeconfig
                    + "; run 'node-agent join --server URL --token ID.SECRET --ca-cert-hash sha256:HEX' first,"
                    + " or pass --kubeconfig");
        }
        Config config = config(kubeconfig);
        ReloadingKeyManager clientCertificate = new ReloadingKeyManager(
                credentials.certificateFile(NodeCredentials.CLIENT), credentials.keyFile(NodeCredentials.CLIENT));
        try {
            var trust = SSLUtils.trustManagers(config);
            return new KubernetesClientBuilder().withConfig(config)
                    .withHttpClientBuilderConsumer(builder -> builder.sslContext(new KeyManager[] {clientCertificate}, trust))
                    .build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot use the cluster CA in " + kubeconfig + ": " + e.getMessage(), e);
        }
    }

    private static Config config(Path kubeconfig) {
        try {
            return Config.fromKubeconfig(Files.readString(kubeconfig));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kubeconfig " + kubeconfig, e);
        }
    }
}
