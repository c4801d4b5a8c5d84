package dev.flotilla.node.join;

import dev.flotilla.api.bootstrap.BootstrapToken;
import dev.flotilla.api.pki.IssuedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code node-agent join}: discovers and verifies the cluster with the bootstrap token and the CA pin,
 * then gets the node's client certificate (CN {@code system:node:<name>}, O {@code system:nodes}) with
 * the bootstrap token and writes it with a kubeconfig into the state directory. The serving
 * certificate and renewals then go through {@link NodeCertificates} with the node's own identity.
 */
public final class NodeJoin {

    public static final String KUBELET_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
    private static final Duration SIGNATURE_POLL = Duration.ofSeconds(1);

    /** What {@code join} is told; {@code certificateLifetime} null leaves the lifetime to the signer. */
    public record Options(String server, String token, String caCertHash, String nodeName, Path stateDir,
            Duration timeout, Duration certificateLifetime) {
    }

    private final Options options;
    private final Consumer<String> progress;

    public NodeJoin(Options options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    public NodeCredentials join() {
        BootstrapToken token = BootstrapToken.parse(options.token()).orElseThrow(() -> new JoinException(
                "--token must have the form [a-z0-9]{6}.[a-z0-9]{16}, as printed by 'flotilla join-token create'"));
        TrustedCluster cluster = discover(token);
        NodeCredentials credentials = new NodeCredentials(options.stateDir());
        credentials.saveCluster(cluster);
        String user = NodeCertificates.userOf(options.nodeName());
        IssuedCertificate client = new CertificateRequester(ApiConnection.withToken(cluster, token.value()),
                options.timeout(), progress).request(new CertificateRequester.Wanted(user, List.of(NodeCertificates.NODES_GROUP),
                        List.of(), List.of(), KUBELET_CLIENT_SIGNER, NodeCertificates.CLIENT_USAGES,
                        options.certificateLifetime()));
        credentials.saveClient(cluster, user, client);
        progress.accept("[join] node " + options.nodeName() + " joined; kubeconfig: " + credentials.kubeconfig());
        return credentials;
    }

    /** Waits, within the join timeout, for the bootstrap signer to sign cluster-info for a token just made. */
    private TrustedCluster discover(BootstrapToken token) {
        Instant deadline = Instant.now().plus(options.timeout());
        ClusterInfoDiscovery discovery = new ClusterInfoDiscovery(progress);
        while (true) {
            try {
                return discovery.discover(options.server(), token, options.caCertHash());
            } catch (NotSignedYetException e) {
                if (Instant.now().plus(SIGNATURE_POLL).isAfter(deadline)) {
                    throw e;
                }
                progress.accept("[discovery] cluster-info not signed for token " + token.id() + " yet; retrying");
            }
            try {
                Thread.sleep(SIGNATURE_POLL.toMillis()); // the signer has no event a joining node could wait on
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new JoinException("interrupted while waiting for cluster-info to be signed", interrupted);
            }
        }
    }
}
