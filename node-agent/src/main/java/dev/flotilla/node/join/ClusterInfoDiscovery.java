package dev.flotilla.node.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flotilla.api.bootstrap.BootstrapToken;
import dev.flotilla.api.bootstrap.DetachedJws;
import dev.flotilla.api.pki.CaCertHash;
import dev.flotilla.api.pki.PemFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * kubeadm's token discovery: fetch {@code kube-public/cluster-info} without trusting the server, check
 * that its kubeconfig is signed with the bootstrap token (so it came from someone who knows the
 * token) and that its CA's public key has the pinned hash (so it is the cluster the admin meant), then
 * fetch it again over TLS pinned to that CA to prove the server holds a certificate from it.
 */
final class ClusterInfoDiscovery {

    static final String PATH = "/api/v1/namespaces/kube-public/configmaps/cluster-info";

    private final Consumer<String> progress;

    ClusterInfoDiscovery(Consumer<String> progress) {
        this.progress = progress;
    }

    TrustedCluster discover(String server, BootstrapToken token, String caCertHash) {
        if (!CaCertHash.wellFormed(caCertHash)) {
            throw new JoinException("--ca-cert-hash must look like sha256:<64 hex digits>; use the value printed by"
                    + " 'flotilla join-token create'");
        }
        progress.accept("[discovery] fetching cluster-info from " + server + " (not trusted yet)");
        ApiConnection.Response response = ApiConnection.unverified(server).get(PATH);
        if (response.code() != 200) {
            throw new JoinException("cannot read cluster-info from " + server + " (HTTP " + response.code() + " "
                    + response.body().path("message").asText("") + "): is this a Flotilla or kubeadm API server?");
        }
        JsonNode data = response.body().path("data");
        String kubeconfig = data.path("kubeconfig").asText("");
        String signature = data.path(DetachedJws.CONFIG_MAP_KEY_PREFIX + token.id()).asText("");
        if (signature.isEmpty()) {
            throw new NotSignedYetException("the cluster has no signature for token id \"" + token.id() + "\": the token is "
                    + "unknown, expired or deleted (or was just created: retry in a few seconds); create a new one with"
                    + " 'flotilla join-token create'");
        }
        if (!DetachedJws.verifies(signature, kubeconfig, token)) {
            throw new JoinException("cluster-info is not signed with this token: its secret half is wrong, or the "
                    + "server is not the cluster that issued it; check --token");
        }
        TrustedCluster cluster = parse(kubeconfig);
        if (!CaCertHash.matches(caCertHash, cluster.ca())) {
            throw new JoinException("the cluster CA's public key hash is " + CaCertHash.of(cluster.ca())
                    + ", not the --ca-cert-hash given: refusing to trust it. Check the hash printed by 'flotilla "
                    + "join-token create' on the control plane; a mismatch means the wrong cluster or a man in the "
                    + "middle");
        }
        progress.accept("[discovery] cluster CA verified against the pinned hash; server " + cluster.server());
        ApiConnection.Response pinned = ApiConnection.pinned(cluster).get(PATH);
        if (pinned.code() != 200 || !kubeconfig.equals(pinned.body().path("data").path("kubeconfig").asText())) {
            throw new JoinException("cluster-info read again over TLS pinned to the cluster CA differs from the first"
                    + " read: refusing to join");
        }
        return cluster;
    }

    static TrustedCluster parse(String kubeconfig) {
        JsonNode config;
        try {
            config = new YAMLMapper().readTree(kubeconfig);
        } catch (IOException e) {
            throw new JoinException("cluster-info holds no readable kubeconfig: " + e.getMessage(), e);
        }
        JsonNode cluster = config.path("clusters").path(0).path("cluster");
        String server = cluster.path("server").asText("");
        String caData = cluster.path("certificate-authority-data").asText("");
        if (server.isEmpty() || caData.isEmpty()) {
            throw new JoinException("cluster-info's kubeconfig names no server or CA");
        }
        try {
            String pem = new String(Base64.getDecoder().decode(caData), StandardCharsets.US_ASCII);
            List<X509Certificate> certificates = PemFiles.parseCertificates(new StringReader(pem), "cluster-info");
            return new TrustedCluster(server, certificates.get(0));
        } catch (IOException | RuntimeException e) {
            throw new JoinException("cluster-info's CA certificate does not parse: " + e.getMessage(), e);
        }
    }
}
