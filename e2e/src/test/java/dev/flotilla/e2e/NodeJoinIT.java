package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.api.bootstrap.BootstrapToken;
import dev.flotilla.api.bootstrap.BootstrapTokenSecret;
import dev.flotilla.api.bootstrap.DetachedJws;
import dev.flotilla.api.pki.CaCertHash;
import dev.flotilla.api.pki.IssuedCertificate;
import dev.flotilla.api.pki.PemFiles;
import dev.flotilla.node.join.JoinException;
import dev.flotilla.node.join.NodeCertificates;
import dev.flotilla.node.join.NodeCredentials;
import dev.flotilla.node.join.NodeJoin;
import dev.flotilla.server.jointoken.JoinTokens;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.HttpsClient;
import dev.flotilla.testsupport.TempDirs;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node joins kubeadm-style against the whole control plane: join tokens from the launcher, the
 * signed cluster-info, the CA pin, bootstrap-token authentication, CSR auto-approval and signing, the
 * node's own identity afterwards, its serving certificate and the renewal of both.
 */
class NodeJoinIT {

    private static final Path HOME = Path.of(System.getProperty("flotilla.home", "..")).toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ControlPlane cluster;
    private static KubernetesClient admin;
    private static String caHash;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        admin = cluster.fabric8Client();
        caHash = CaCertHash.of(PemFiles.readCertificate(cluster.pkiDir().resolve("ca.crt")));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(admin, cluster);
    }

    @Test
    void launcherCreatesListsAndDeletesJoinTokens() {
        Command.Result created = flotilla("join-token", "create", "--ttl", "2h", "--description", "rack 7").assertSuccess();
        String[] lines = created.output().trim().split("\n");
        String token = lines[lines.length - 2].trim();
        assertThat(token).matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
        assertThat(lines[lines.length - 1].trim()).isEqualTo("node-agent join --server " + cluster.url() + " --token "
                + token + " --ca-cert-hash " + caHash);

        String id = token.substring(0, 6);
        var secret = admin.secrets().inNamespace("kube-system").withName("bootstrap-token-" + id).get();
        assertThat(secret.getType()).isEqualTo("bootstrap.kubernetes.io/token");
        BootstrapTokenSecret stored = BootstrapTokenSecret.of(secret.getType(), secret.getMetadata().getName(),
                secret.getData()).orElseThrow();
        assertThat(stored.authentication()).isTrue();
        assertThat(stored.signing()).isTrue();
        assertThat(stored.expiresAt().orElseThrow()).isBetween(Instant.now().plus(Duration.ofMinutes(110)),
                Instant.now().plus(Duration.ofMinutes(121)));

        assertThat(flotilla("join-token", "list").assertSuccess().output())
                .contains("TOKEN", token, "authentication,signing", "rack 7",
                        "system:bootstrappers:kubeadm:default-node-token");
        assertThat(flotilla("join-token", "delete", id).assertSuccess().output()).contains("deleted");
        assertThat(flotilla("join-token", "list").assertSuccess().output()).doesNotContain(token);
        Command.Result again = flotilla("join-token", "delete", id);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.output()).contains("no token " + id);
        assertThat(flotilla("join-token", "create", "--ttl", "soon").exitCode()).isEqualTo(2);
    }

    @Test
    void nodeJoinsAndThenActsAsItself() throws Exception {
        JoinTokens.Created token = new JoinTokens(admin).create(Duration.ofHours(1), "join test");
        awaitSigned(token.token().token());
        Path state = TempDirs.create("node-join-");
        List<String> progress = new ArrayList<>();

        NodeCredentials credentials = new NodeJoin(options(token, "worker-1", state, null), progress::add).join();

        assertThat(progress).anyMatch(l -> l.startsWith("[discovery] cluster CA verified"))
                .anyMatch(l -> l.startsWith("[csr] submitted node-csr-")).anyMatch(l -> l.contains("joined"));
        for (String file : List.of("kubelet.kubeconfig", "pki/kubelet-client.key", "pki/kubelet-client.crt")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
        X509Certificate client = PemFiles.readCertificate(credentials.certificateFile("kubelet-client"));
        assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=system:node:worker-1,O=system:nodes");
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(client.getPublicKey().getAlgorithm()).isEqualTo("EC");

        CertificateSigningRequest csr = csrOf(client);
        assertThat(csr.getSpec().getUsername()).isEqualTo("system:bootstrap:" + token.token().token().id());
        assertThat(csr.getSpec().getGroups()).contains("system:bootstrappers",
                "system:bootstrappers:kubeadm:default-node-token", "system:authenticated");
        assertThat(csr.getSpec().getSignerName()).isEqualTo("kubernetes.io/kube-apiserver-client-kubelet");
        assertThat(csr.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Approved")
                && c.getReason().equals("AutoApproved"));

        // kubectl and fabric8 with the written kubeconfig act as the node.
        Command.Result canI = cluster.kubectlWith(credentials.kubeconfig(), "auth", "can-i", "create", "nodes");
        assertThat(canI.output().trim()).endsWith("\nyes");
        Command.Result secrets = cluster.kubectlWith(credentials.kubeconfig(), "create", "namespace", "nope");
        assertThat(secrets.exitCode()).isNotZero();
        assertThat(secrets.output()).contains("User \"system:node:worker-1\" cannot create resource \"namespaces\"");
        try (KubernetesClient node = clientFor(credentials.kubeconfig())) {
            node.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().build())
                    .create();
            // The node lifecycle controller may taint the new Node between the read and the write: retry on 409.
            Await.until(WAIT, "the node's addresses are written", () -> {
                var registered = node.nodes().withName("worker-1").get();
                registered.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                        .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                        .addNewAddress().withType("Hostname").withAddress("worker-1").endAddress().build());
                try {
                    node.nodes().resource(registered).updateStatus();
                    return true;
                } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    return false;
                }
            });
        }

        // The serving certificate: asked for with the node's identity, approved because the names are its own.
        NodeCertificates certificates = new NodeCertificates(credentials, "worker-1", WAIT, null, progress::add);
        IssuedCertificate serving = certificates.obtainServing(List.of("worker-1"), List.of("127.0.0.1"));
        assertThat(serving.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(serving.certificate().getSubjectAlternativeNames()).extracting(n -> String.valueOf(n.get(1)))
                .containsExactlyInAnyOrder("worker-1", "127.0.0.1");
        CertificateSigningRequest servingCsr = csrOf(serving.certificate());
        assertThat(servingCsr.getSpec().getUsername()).isEqualTo("system:node:worker-1");
        assertThat(servingCsr.getSpec().getSignerName()).isEqualTo("kubernetes.io/kubelet-serving");

        // A serving certificate for names that are not the node's stays pending.
        NodeCertificates greedy = new NodeCertificates(credentials, "worker-1", Duration.ofSeconds(3), null, l -> { });
        assertThatThrownBy(() -> greedy.obtainServing(List.of("kubernetes.default"), List.of()))
                .isInstanceOf(JoinException.class).hasMessageContaining("was not approved and signed within");
    }

    @Test
    void certificatesAreRenewedWithTheNodesOwnIdentity() throws Exception {
        JoinTokens.Created token = new JoinTokens(admin).create(Duration.ofHours(1), "");
        awaitSigned(token.token().token());
        Path state = TempDirs.create("node-renew-");
        NodeCredentials credentials = new NodeJoin(options(token, "worker-2", state, Duration.ofSeconds(600)),
                l -> { }).join();
        X509Certificate first = PemFiles.readCertificate(credentials.certificateFile("kubelet-client"));
        // expirationSeconds 600 (upstream's minimum) is honoured: ten minutes after the 5-minute backdate.
        assertThat(Duration.between(Instant.now(), first.getNotAfter().toInstant()))
                .isBetween(Duration.ofMinutes(8), Duration.ofMinutes(11));

        NodeCertificates certificates = new NodeCertificates(credentials, "worker-2", WAIT, Duration.ofSeconds(600),
                l -> { });
        assertThat(certificates.renewDue(Instant.now())).isEmpty();
        assertThat(certificates.renewDue(first.getNotAfter().toInstant().minusSeconds(30))).containsExactly(
                "kubelet-client");

        X509Certificate renewed = PemFiles.readCertificate(credentials.certificateFile("kubelet-client"));
        assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(renewed.getSubjectX500Principal().getName()).isEqualTo("CN=system:node:worker-2,O=system:nodes");
        CertificateSigningRequest renewal = csrOf(renewed);
        assertThat(renewal.getSpec().getUsername()).isEqualTo("system:node:worker-2");
        assertThat(renewal.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Approved"));
        cluster.kubectlWith(credentials.kubeconfig(), "get", "nodes").assertSuccess();
    }

    @Test
    void wrongCaHashIsRefusedBeforeAnyCredentialIsSent() {
        JoinTokens.Created token = new JoinTokens(admin).create(Duration.ofHours(1), "");
        awaitSigned(token.token().token());
        String wrong = "sha256:" + "0".repeat(64);
        NodeJoin.Options options = new NodeJoin.Options(cluster.url(), token.token().token().value(), wrong, "worker-3",
                TempDirs.create("node-wrong-hash-"), WAIT, null);

        assertThatThrownBy(() -> new NodeJoin(options, l -> { }).join()).isInstanceOf(JoinException.class)
                .hasMessageContaining("the cluster CA's public key hash is " + caHash)
                .hasMessageContaining("not the --ca-cert-hash given");
        assertThat(admin.certificates().v1().certificateSigningRequests().list().getItems())
                .noneMatch(c -> c.getSpec().getUsername().equals("system:bootstrap:" + token.token().token().id()));
    }

    @Test
    void unknownAndExpiredTokensAreUnauthorizedAndJoinSaysWhatToDo() throws Exception {
        BootstrapToken unknown = BootstrapToken.generate();
        HttpResponse<String> refused = withBearer(unknown.value(), "/api/v1/namespaces/default/configmaps");
        assertThat(refused.statusCode()).isEqualTo(401);
        JsonNode status = JSON.readTree(refused.body());
        assertThat(status.path("reason").asText()).isEqualTo("Unauthorized");
        assertThat(status.path("message").asText()).isEqualTo("Unauthorized");

        // Join waits (within its timeout) for a signature, as a token made a moment ago gets one within seconds.
        NodeJoin.Options options = new NodeJoin.Options(cluster.url(), unknown.value(), caHash, "worker-4",
                TempDirs.create("node-unknown-"), Duration.ofSeconds(3), null);
        List<String> progress = new ArrayList<>();
        assertThatThrownBy(() -> new NodeJoin(options, progress::add).join()).isInstanceOf(JoinException.class)
                .hasMessageContaining("unknown, expired or deleted").hasMessageContaining("flotilla join-token create");
        assertThat(progress).anyMatch(line -> line.contains("not signed for token " + unknown.id() + " yet; retrying"));

        BootstrapToken expired = BootstrapToken.generate();
        BootstrapTokenSecret secret = new BootstrapTokenSecret(expired, Instant.now().minusSeconds(5).toString(), true,
                true, List.of(), "");
        admin.secrets().inNamespace("kube-system").resource(new SecretBuilder().withNewMetadata()
                .withName(expired.secretName()).endMetadata().withType(BootstrapTokenSecret.TYPE)
                .withData(secret.data()).build()).create();
        assertThat(withBearer(expired.value(), "/api/v1/namespaces/default/configmaps").statusCode()).isEqualTo(401);
        // The token cleaner removes it.
        Await.until(WAIT, "expired token Secret deleted",
                () -> admin.secrets().inNamespace("kube-system").withName(expired.secretName()).get() == null);

        // A valid token authenticates only as a bootstrapper.
        JoinTokens.Created valid = new JoinTokens(admin).create(Duration.ofHours(1), "");
        HttpResponse<String> forbidden = withBearer(valid.token().token().value(), "/api/v1/namespaces/default/secrets");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("User \\\"system:bootstrap:" + valid.token().token().id() + "\\\"");
    }

    @Test
    void clusterInfoIsTheOnlyThingAnonymousMayRead() throws Exception {
        HttpsClient anonymous = HttpsClient.anonymous(cluster.url(), cluster.pkiDir());
        HttpResponse<String> info = Await.value(WAIT, "cluster-info published", () -> {
            HttpResponse<String> r = anonymous.get("/api/v1/namespaces/kube-public/configmaps/cluster-info");
            return r.statusCode() == 200 ? r : null;
        });
        assertThat(JSON.readTree(info.body()).at("/data/kubeconfig").asText()).contains("server: " + cluster.url());
        admin.configMaps().inNamespace("kube-public").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("other").endMetadata().build()).create();
        for (String path : List.of("/api/v1/namespaces/kube-public/configmaps/other",
                "/api/v1/namespaces/kube-public/configmaps", "/api/v1/namespaces/kube-system/configmaps/cluster-info")) {
            assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> write = anonymous.send(HttpRequest.newBuilder(URI.create(cluster.url()
                + "/api/v1/namespaces/kube-public/configmaps/cluster-info")).DELETE().build());
        assertThat(write.statusCode()).isEqualTo(401);
    }

    @Test
    void signerIssuesOnlyApprovedRequestsWithTheRightUsages() throws Exception {
        List<String> names = new ArrayList<>();
        for (String decision : List.of("approve", "deny")) {
            String name = "alice-" + decision;
            var keys = dev.flotilla.api.pki.CertificateRequest.newEcKeyPair();
            String pem = dev.flotilla.api.pki.CertificateRequest.createPem(keys, "alice", List.of("devs"), List.of(),
                    List.of());
            admin.certificates().v1().certificateSigningRequests().resource(
                    new io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder()
                            .withNewMetadata().withName(name).endMetadata().withNewSpec()
                            .withRequest(java.util.Base64.getEncoder().encodeToString(pem.getBytes()))
                            .withSignerName("kubernetes.io/kube-apiserver-client").withExpirationSeconds(3600)
                            .withUsages("digital signature", "client auth").endSpec().build()).create();
            cluster.kubectl("certificate", decision, name).assertSuccess();
            names.add(name);
        }
        CertificateSigningRequest approved = Await.value(WAIT, "alice's certificate", () -> {
            var csr = admin.certificates().v1().certificateSigningRequests().withName("alice-approve").get();
            return csr.getStatus().getCertificate() == null ? null : csr;
        });
        X509Certificate issued = PemFiles.parseCertificates(new java.io.StringReader(new String(
                java.util.Base64.getDecoder().decode(approved.getStatus().getCertificate()))), "csr").get(0);
        assertThat(issued.getSubjectX500Principal().getName()).isEqualTo("CN=alice,O=devs");
        assertThat(issued.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(Duration.between(Instant.now(), issued.getNotAfter().toInstant()))
                .isBetween(Duration.ofMinutes(55), Duration.ofMinutes(61));
        // The denied one was decided before the approved one was signed; it never gets a certificate.
        assertThat(admin.certificates().v1().certificateSigningRequests().withName("alice-deny").get().getStatus()
                .getCertificate()).isNull();
        // Requests the signer may not issue are marked Failed, not signed.
        var keys = dev.flotilla.api.pki.CertificateRequest.newEcKeyPair();
        String pem = dev.flotilla.api.pki.CertificateRequest.createPem(keys, "system:node:evil", List.of("system:masters"),
                List.of(), List.of());
        admin.certificates().v1().certificateSigningRequests().resource(
                new io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder()
                        .withNewMetadata().withName("evil").endMetadata().withNewSpec()
                        .withRequest(java.util.Base64.getEncoder().encodeToString(pem.getBytes()))
                        .withSignerName("kubernetes.io/kube-apiserver-client-kubelet")
                        .withUsages("digital signature", "client auth").endSpec().build()).create();
        cluster.kubectl("certificate", "approve", "evil").assertSuccess();
        CertificateSigningRequest failed = Await.value(WAIT, "evil marked Failed", () -> {
            var csr = admin.certificates().v1().certificateSigningRequests().withName("evil").get();
            return csr.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Failed")) ? csr : null;
        });
        assertThat(failed.getStatus().getCertificate()).isNull();
    }

    private static NodeJoin.Options options(JoinTokens.Created token, String node, Path state, Duration lifetime) {
        assertThat(token.server()).isEqualTo(cluster.url());
        return new NodeJoin.Options(token.server(), token.token().token().value(), token.caCertHash(), node, state,
                WAIT, lifetime);
    }

    /** Waits for the bootstrap signer to sign cluster-info for this token, as a joining node would retry. */
    private static void awaitSigned(BootstrapToken token) {
        Await.until(WAIT, "cluster-info signed for " + token, () -> {
            ConfigMap info = admin.configMaps().inNamespace("kube-public").withName("cluster-info").get();
            return info != null && DetachedJws.verifies(info.getData().get("jws-kubeconfig-" + token.id()),
                    info.getData().get("kubeconfig"), token);
        });
    }

    private static CertificateSigningRequest csrOf(X509Certificate certificate) {
        String pem = PemFiles.toPem(certificate);
        return admin.certificates().v1().certificateSigningRequests().list().getItems().stream()
                .filter(c -> c.getStatus() != null && c.getStatus().getCertificate() != null
                        && new String(java.util.Base64.getDecoder().decode(c.getStatus().getCertificate())).equals(pem))
                .findFirst().orElseThrow(() -> new AssertionError("no CSR issued " + certificate.getSubjectX500Principal()));
    }

    private static HttpResponse<String> withBearer(String token, String path) {
        HttpsClient anonymous = HttpsClient.anonymous(cluster.url(), cluster.pkiDir());
        return anonymous.send(HttpRequest.newBuilder(URI.create(cluster.url() + path))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    private static KubernetesClient clientFor(Path kubeconfig) throws java.io.IOException {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    }

    private static Command.Result flotilla(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("FLOTILLA_STATE_DIR", cluster.stateDir().toString());
        env.put("FLOTILLA_SKIP_BUILD", "1");
        env.put("FLOTILLA_SKIP_INSTALL", "1");
        List<String> command = new ArrayList<>(List.of(HOME.resolve("flotilla").toString()));
        command.addAll(List.of(args));
        return Command.run(Duration.ofMinutes(2), HOME, env, command);
    }
}
