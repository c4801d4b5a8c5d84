package dev.flotilla.server.jointoken;

import dev.flotilla.api.bootstrap.BootstrapToken;
import dev.flotilla.api.bootstrap.BootstrapTokenSecret;
import dev.flotilla.api.pki.CaCertHash;
import dev.flotilla.api.pki.PemFiles;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Bootstrap tokens for joining nodes, as {@code kubeadm token create|list|delete} manage them: a Secret
 * {@code kube-system/bootstrap-token-<id>} allowed for authentication and signing, in kubeadm's extra
 * group {@code system:bootstrappers:kubeadm:default-node-token}, expiring after a TTL (none for 0).
 * Works through the API with whatever identity the client has.
 */
public final class JoinTokens {

    public static final String DEFAULT_GROUP = "system:bootstrappers:kubeadm:default-node-token";
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private final KubernetesClient client;

    public JoinTokens(KubernetesClient client) {
        this.client = client;
    }

    /** A created token and the command that joins a node with it. */
    public record Created(BootstrapTokenSecret token, String server, String caCertHash) {

        public String joinCommand() {
            return "node-agent join --server " + server + " --token " + token.token().value() + " --ca-cert-hash "
                    + caCertHash;
        }
    }

    public Created create(Duration ttl, String description) {
        BootstrapToken token = BootstrapToken.generate();
        String expiration = ttl.isZero() ? ""
                : Instant.now().plus(ttl).truncatedTo(ChronoUnit.SECONDS).toString();
        BootstrapTokenSecret secret = new BootstrapTokenSecret(token, expiration, true, true,
                List.of(DEFAULT_GROUP), description);
        client.secrets().inNamespace(BootstrapToken.SECRET_NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName(token.secretName()).withNamespace(BootstrapToken.SECRET_NAMESPACE)
                .endMetadata()
                .withType(BootstrapTokenSecret.TYPE)
                .withData(secret.data())
                .build()).create();
        return new Created(secret, client.getConfiguration().getMasterUrl().replaceAll("/+$", ""),
                CaCertHash.of(clusterCa()));
    }

    public List<BootstrapTokenSecret> list() {
        return client.secrets().inNamespace(BootstrapToken.SECRET_NAMESPACE).list().getItems().stream()
                .map(JoinTokens::read).flatMap(Optional::stream)
                .sorted(Comparator.comparing(t -> t.token().id()))
                .toList();
    }

    /** Deletes by id or whole token; false when there was no such token. */
    public boolean delete(String idOrToken) {
        String id = BootstrapToken.parse(idOrToken).map(BootstrapToken::id).orElse(idOrToken);
        if (!id.matches("[a-z0-9]{6}")) {
            throw new IllegalArgumentException("a token id has the form [a-z0-9]{6}: " + idOrToken);
        }
        return !client.secrets().inNamespace(BootstrapToken.SECRET_NAMESPACE)
                .withName(BootstrapToken.SECRET_NAME_PREFIX + id).delete().isEmpty();
    }

    private static Optional<BootstrapTokenSecret> read(Secret secret) {
        return BootstrapTokenSecret.of(secret.getType(), secret.getMetadata().getName(), secret.getData());
    }

    /** The CA the client's kubeconfig trusts: the cluster CA whose key a joining node pins. */
    private X509Certificate clusterCa() {
        String data = client.getConfiguration().getCaCertData();
        try {
            String pem = data != null ? new String(Base64.getDecoder().decode(data), StandardCharsets.US_ASCII)
                    : java.nio.file.Files.readString(java.nio.file.Path.of(client.getConfiguration().getCaCertFile()));
            return PemFiles.parseCertificates(new StringReader(pem), "the kubeconfig's CA").get(0);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the cluster CA from the kubeconfig: " + e.getMessage(), e);
        }
    }
}
