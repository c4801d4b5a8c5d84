package dev.flotilla.node.join;

import dev.flotilla.api.pki.IssuedCertificate;
import dev.flotilla.api.pki.Kubeconfig;
import dev.flotilla.api.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The node's credentials in its state directory, every file mode 0600 and replaced atomically:
 * {@code pki/ca.crt}, {@code pki/kubelet-client.{crt,key}}, {@code pki/kubelet-serving.{crt,key}}, and
 * {@code kubelet.kubeconfig} (server, CA and client certificate embedded) for the kubelet and kubectl.
 */
public final class NodeCredentials {

    public static final String KUBECONFIG = "kubelet.kubeconfig";
    public static final String CLIENT = "kubelet-client";
    public static final String SERVING = "kubelet-serving";

    private final Path stateDir;

    public NodeCredentials(Path stateDir) {
        this.stateDir = stateDir;
    }

    public Path kubeconfig() {
        return stateDir.resolve(KUBECONFIG);
    }

    public Path certificateFile(String name) {
        return stateDir.resolve("pki").resolve(name + ".crt");
    }

    public Path keyFile(String name) {
        return stateDir.resolve("pki").resolve(name + ".key");
    }

    /** The cluster CA saved at join. */
    public Path caFile() {
        return stateDir.resolve("pki").resolve("ca.crt");
    }

    void saveCluster(TrustedCluster cluster) {
        PemFiles.write(caFile(), PemFiles.toPem(cluster.ca()), true);
        PemFiles.write(stateDir.resolve("pki").resolve("server"), cluster.server() + "\n", true);
    }

    /** The cluster saved at join, if the node has joined. */
    public Optional<TrustedCluster> cluster() {
        Path ca = caFile();
        Path server = stateDir.resolve("pki").resolve("server");
        if (!Files.exists(ca) || !Files.exists(server)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TrustedCluster(Files.readString(server).trim(), PemFiles.readCertificate(ca)));
        } catch (java.io.IOException e) {
            throw new JoinException("cannot read " + server + ": " + e.getMessage(), e);
        }
    }

    /** Writes the client certificate and the kubeconfig that uses it (key first, so no file names a missing key). */
    void saveClient(TrustedCluster cluster, String user, IssuedCertificate client) {
        save(CLIENT, client);
        PemFiles.write(kubeconfig(), Kubeconfig.forClientCertificate("flotilla", cluster.server(), cluster.ca(), user,
                client.certificate(), client.privateKey()), true);
    }

    void saveServing(IssuedCertificate serving) {
        save(SERVING, serving);
    }

    public Optional<IssuedCertificate> load(String name) {
        if (!Files.exists(certificateFile(name)) || !Files.exists(keyFile(name))) {
            return Optional.empty();
        }
        X509Certificate certificate = PemFiles.readCertificate(certificateFile(name));
        return Optional.of(new IssuedCertificate(certificate, PemFiles.readPrivateKey(keyFile(name))));
    }

    private void save(String name, IssuedCertificate issued) {
        PemFiles.write(keyFile(name), PemFiles.toPem(issued.privateKey()), true);
        PemFiles.write(certificateFile(name), PemFiles.toPem(issued.certificate()), true);
    }
}
