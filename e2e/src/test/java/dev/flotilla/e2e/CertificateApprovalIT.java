package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.api.pki.CertificateAuthority;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Command;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CSR create validation and certificatesigningrequests/approval through kubectl certificate approve|deny. */
class CertificateApprovalIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ControlPlane cluster;
    private static String request;

    @BeforeAll
    static void start() throws Exception {
        cluster = ControlPlane.start();
        KeyPair keys = CertificateAuthority.newKeyPair();
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=jane,O=dev"),
                    keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        }
        request = Base64.getEncoder().encodeToString(pem.toString().getBytes(StandardCharsets.US_ASCII));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theRequesterIsRecordedFromCredentialsAndKubectlApprovesOnce() throws Exception {
        create("jane", request, "kubernetes.io/kube-apiserver-client", "[client auth]", "username: mallory\n  groups: [system:masters-forged]");
        JsonNode csr = csr("jane");
        assertThat(csr.at("/spec/username").asText()).isEqualTo("admin");
        assertThat(csr.at("/spec/groups").toString()).isEqualTo("[\"system:masters\",\"system:authenticated\"]");
        assertThat(csr.at("/status").isMissingNode() || csr.at("/status").isEmpty()).isTrue();

        Command.Result approve = cluster.kubectl("certificate", "approve", "jane");
        assertThat(approve.exitCode()).as(approve.output()).isZero();
        assertThat(approve.output()).contains("certificatesigningrequest.certificates.k8s.io/jane approved");
        JsonNode approved = csr("jane").at("/status/conditions/0");
        assertThat(approved.path("type").asText()).isEqualTo("Approved");
        assertThat(approved.path("status").asText()).isEqualTo("True");
        assertThat(approved.path("reason").asText()).isEqualTo("KubectlApprove");
        assertThat(approved.path("lastUpdateTime").asText()).isNotEmpty();
        // The controller manager's signer issues it now that it is approved (NodeJoinIT checks what it issues).
        Await.until(Duration.ofSeconds(60), "jane's certificate issued",
                () -> issued("jane"));

        Command.Result deny = cluster.kubectl("certificate", "deny", "jane", "--force");
        assertThat(deny.exitCode()).isNotZero();
        assertThat(deny.output()).contains("is already Approved");
        HttpResponse<String> both = approval("jane", "{\"status\":{\"conditions\":[{\"type\":\"Approved\",\"status\":"
                + "\"True\"},{\"type\":\"Denied\",\"status\":\"True\"}]}}");
        assertThat(both.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(both.body()).path("message").asText())
                .contains("Approved and Denied conditions are mutually exclusive");

        HttpResponse<String> removal = approval("jane", "{\"apiVersion\":\"certificates.k8s.io/v1\","
                + "\"kind\":\"CertificateSigningRequest\",\"metadata\":{\"name\":\"jane\"},\"status\":{\"conditions\":[]}}");
        assertThat(removal.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(removal.body()).path("message").asText())
                .contains("status.conditions: Forbidden: updates may not remove a condition of type \"Approved\"");
    }

    @Test
    void kubectlDeniesAndTheSpecNeverChanges() throws Exception {
        create("bob", request, "example.com/my-signer", "[digital signature, key encipherment]", "");
        assertThat(cluster.kubectl("certificate", "deny", "bob").exitCode()).isZero();
        assertThat(csr("bob").at("/status/conditions/0/type").asText()).isEqualTo("Denied");
        HttpResponse<String> bad = approval("bob", "{\"status\":{\"conditions\":[{\"type\":\"Denied\",\"status\":\"False\"}]}}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(bad.body()).path("message").asText())
                .contains("status.conditions[0].status: Unsupported value: \"False\": supported values: \"True\"");
        cluster.kubectl("label", "csr", "bob", "team=a").assertSuccess();
        assertThat(csr("bob").at("/spec/signerName").asText()).isEqualTo("example.com/my-signer");
    }

    @Test
    void malformedRequestsAreRefusedWithUpstreamMessages() throws Exception {
        String notPem = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.US_ASCII));
        Command.Result bad = cluster.kubectl("apply", "-f", cluster.file("bad.yaml", """
                apiVersion: certificates.k8s.io/v1
                kind: CertificateSigningRequest
                metadata: {name: bad}
                spec:
                  request: %s
                  signerName: no-slash
                  usages: [client auth, flying]
                """.formatted(notPem)).toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.output()).contains("spec.request: Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST")
                .contains("spec.signerName: Invalid value: \"no-slash\": must be a fully qualified domain and path of the "
                        + "form 'example.com/signer-name'")
                .contains("spec.usages[1]: Unsupported value: \"flying\"");
        Command.Result noSigner = cluster.kubectl("apply", "-f", cluster.file("nosigner.yaml", """
                apiVersion: certificates.k8s.io/v1
                kind: CertificateSigningRequest
                metadata: {name: nosigner}
                spec:
                  request: %s
                  usages: [client auth]
                """.formatted(request)).toString());
        assertThat(noSigner.output()).contains("spec.signerName: Required value");
    }

    private static void create(String name, String pemBase64, String signer, String usages, String extra) {
        cluster.kubectl("apply", "-f", cluster.file(name + ".yaml", """
                apiVersion: certificates.k8s.io/v1
                kind: CertificateSigningRequest
                metadata: {name: %s}
                spec:
                  request: %s
                  signerName: %s
                  usages: %s
                  %s
                """.formatted(name, pemBase64, signer, usages, extra)).toString()).assertSuccess();
    }

    private static boolean issued(String name) {
        try {
            return !csr(name).at("/status/certificate").asText("").isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static JsonNode csr(String name) throws Exception {
        return JSON.readTree(cluster.kubectl("get", "csr", name, "-o", "json").assertSuccess().output());
    }

    private static HttpResponse<String> approval(String name, String body) {
        return cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url()
                + "/apis/certificates.k8s.io/v1/certificatesigningrequests/" + name + "/approval"))
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
