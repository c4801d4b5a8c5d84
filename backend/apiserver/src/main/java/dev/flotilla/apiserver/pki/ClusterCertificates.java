package dev.flotilla.apiserver.pki;

import dev.flotilla.api.pki.CertificateAuthority;
import dev.flotilla.api.pki.CertificateSpec;
import dev.flotilla.api.pki.IssuedCertificate;
import dev.flotilla.api.pki.Kubeconfig;
import dev.flotilla.api.pki.PemFiles;
import dev.flotilla.api.pki.PkiException;
import dev.flotilla.apiserver.ApiServerProperties;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's certificates in {@code <state-dir>/pki}: the cluster CA (created on first start and
 * kept), the API server's serving certificate (re-issued when its names change or it nears expiry)
 * and the platform admin's client certificate (CN admin, O system:masters), plus the admin
 * kubeconfig that trusts the CA. Servers starting together coordinate through a file lock.
 */
@Singleton
public class ClusterCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterCertificates.class);
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    public static final String ADMIN_USER = "admin";

    private final ApiServerProperties properties;
    private final CertificateAuthority ca;
    private final IssuedCertificate serving;
    private final KeyPair serviceAccountKeys;

    public ClusterCertificates(ApiServerProperties properties) {
        this.properties = properties;
        Path dir = properties.pkiDir();
        try {
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lockFile.lock()) {
                this.ca = loadOrCreateCa(dir);
                this.serving = loadOrIssueServing(dir);
                this.serviceAccountKeys = loadOrCreateServiceAccountKeys(dir);
                ensureAdmin(dir);
            }
        } catch (IOException e) {
            throw new PkiException("cannot prepare certificates in " + dir, e);
        }
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public IssuedCertificate serving() {
        return serving;
    }

    /** The key pair that signs service account tokens ({@code sa.key}, {@code sa.pub}). */
    public KeyPair serviceAccountKeys() {
        return serviceAccountKeys;
    }

    /** The URL clients reach this cluster at: the advertised host and the serving port. */
    public String serverUrl() {
        return "https://" + hostForUrl(properties.getAdvertiseHost()) + ":" + properties.getPort();
    }

    public Path caFile() {
        return properties.pkiDir().resolve("ca.crt");
    }

    /** The CA's private key, which the controller manager's CSR signer reads. */
    public Path caKeyFile() {
        return properties.pkiDir().resolve("ca.key");
    }

    private CertificateAuthority loadOrCreateCa(Path dir) {
        Path cert = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        if (Files.exists(cert) && Files.exists(key)) {
            return new CertificateAuthority(PemFiles.readCertificate(cert), PemFiles.readPrivateKey(key));
        }
        CertificateAuthority created = CertificateAuthority.create("flotilla-ca", CA_VALIDITY);
        PemFiles.write(key, PemFiles.toPem(created.privateKey()), true);
        PemFiles.write(cert, PemFiles.toPem(created.certificate()), false);
        LOG.info("created cluster CA in {}", cert);
        return created;
    }

    /**
     * Made once, like the CA, and never rotated by itself: every API server sharing the state
     * directory signs and verifies service account tokens with the same key.
     */
    private static KeyPair loadOrCreateServiceAccountKeys(Path dir) {
        Path key = dir.resolve("sa.key");
        Path pub = dir.resolve("sa.pub");
        if (Files.exists(key) && Files.exists(pub)) {
            return new KeyPair(PemFiles.readPublicKey(pub), PemFiles.readPrivateKey(key));
        }
        KeyPair created = CertificateAuthority.newKeyPair();
        PemFiles.write(key, PemFiles.toPem(created.getPrivate()), true);
        PemFiles.write(pub, PemFiles.toPem(created.getPublic()), false);
        LOG.info("created the service account signing key in {}", key);
        return created;
    }

    private IssuedCertificate loadOrIssueServing(Path dir) {
        Path cert = dir.resolve("apiserver.crt");
        Path key = dir.resolve("apiserver.key");
        Set<String> dnsNames = new LinkedHashSet<>(List.of("localhost", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        hostname().ifPresent(dnsNames::add);
        for (String san : concat(properties.getExtraSans(), List.of(properties.getAdvertiseHost()))) {
            (looksLikeIp(san) ? ips : dnsNames).add(san);
        }
        if (Files.exists(cert) && Files.exists(key)) {
            X509Certificate existing = PemFiles.readCertificate(cert);
            if (ca.verifies(existing) && coversNames(existing, dnsNames, ips)
                    && existing.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))) {
                return new IssuedCertificate(existing, PemFiles.readPrivateKey(key));
            }
            LOG.info("re-issuing the serving certificate: names changed, CA changed or expiry near");
        }
        IssuedCertificate issued = ca.issue(CertificateSpec.server("flotilla-apiserver", List.copyOf(dnsNames),
                List.copyOf(ips), LEAF_VALIDITY));
        PemFiles.write(key, PemFiles.toPem(issued.privateKey()), true);
        PemFiles.write(cert, PemFiles.toPem(issued.certificate()), false);
        return issued;
    }

    private void ensureAdmin(Path dir) throws IOException {
        writeClientKubeconfig(dir, "admin", ADMIN_USER, List.of("system:masters"), properties.adminKubeconfig());
    }

    /**
     * A kubeconfig at {@code <state-dir>/<fileName>.kubeconfig} with a client certificate for {@code user}
     * in {@code groups}, made (or renewed) on first use: how the controller manager, the scheduler and
     * other in-process components reach the API as ordinary clients with their own identity.
     */
    public Path clientKubeconfig(String fileName, String user, List<String> groups) {
        Path dir = properties.pkiDir();
        Path kubeconfig = properties.getStateDir().resolve(fileName + ".kubeconfig");
        try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileLock ignored = lockFile.lock()) {
            writeClientKubeconfig(dir, fileName, user, groups, kubeconfig);
        } catch (IOException e) {
            throw new PkiException("cannot write " + kubeconfig, e);
        }
        return kubeconfig;
    }

    /**
     * A client certificate for {@code user} in {@code groups} at {@code <pki>/<fileName>.crt}, issued from
     * the cluster CA on first use and kept (renewed near expiry): the identity the API server itself
     * presents to kubelets.
     */
    public IssuedCertificate clientCertificate(String fileName, String user, List<String> groups) {
        Path dir = properties.pkiDir();
        try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileLock ignored = lockFile.lock()) {
            return loadOrIssueClient(dir, fileName, user, groups);
        } catch (IOException e) {
            throw new PkiException("cannot prepare the client certificate " + fileName, e);
        }
    }

    private void writeClientKubeconfig(Path dir, String fileName, String user, List<String> groups, Path kubeconfig)
            throws IOException {
        IssuedCertificate client = loadOrIssueClient(dir, fileName, user, groups);
        PemFiles.write(kubeconfig,
                Kubeconfig.forClientCertificate("flotilla", serverUrl(), ca.certificate(), user, client.certificate(),
                        client.privateKey()),
                true);
    }

    private IssuedCertificate loadOrIssueClient(Path dir, String fileName, String user, List<String> groups) {
        Path cert = dir.resolve(fileName + ".crt");
        Path key = dir.resolve(fileName + ".key");
        if (Files.exists(cert) && Files.exists(key) && ca.verifies(PemFiles.readCertificate(cert))
                && PemFiles.readCertificate(cert).getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))) {
            return new IssuedCertificate(PemFiles.readCertificate(cert), PemFiles.readPrivateKey(key));
        }
        IssuedCertificate issued = ca.issue(CertificateSpec.client(user, groups, LEAF_VALIDITY));
        PemFiles.write(key, PemFiles.toPem(issued.privateKey()), true);
        PemFiles.write(cert, PemFiles.toPem(issued.certificate()), false);
        return issued;
    }

    private static boolean coversNames(X509Certificate cert, Set<String> dnsNames, Set<String> ips) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            Set<String> present = new HashSet<>();
            if (sans != null) {
                for (List<?> san : sans) {
                    present.add(normalizeIp(String.valueOf(san.get(1))));
                }
            }
            for (String ip : ips) {
                if (!present.contains(normalizeIp(ip))) {
                    return false;
                }
            }
            return present.containsAll(dnsNames);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static String normalizeIp(String value) {
        if (!looksLikeIp(value)) {
            return value;
        }
        try {
            return InetAddress.getByName(value).getHostAddress();
        } catch (UnknownHostException e) {
            return value;
        }
    }

    static boolean looksLikeIp(String value) {
        return value.contains(":") || value.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static java.util.Optional<String> hostname() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() || looksLikeIp(name) ? java.util.Optional.empty()
                    : java.util.Optional.of(name);
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
