package dev.flotilla.controllers.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.pki.CertificateRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignersTest {

    private static final List<String> CLIENT = List.of("digital signature", "client auth");
    private static final List<String> SERVER = List.of("digital signature", "key encipherment", "server auth");

    @Test
    void kubeletClientCertificatesAreNodeIdentitiesWithoutNames() {
        assertThat(Signers.KUBELET_CLIENT.problem(request("system:node:a", List.of("system:nodes"), List.of()), CLIENT))
                .isEmpty();
        assertThat(Signers.KUBELET_CLIENT.problem(request("system:node:a", List.of("system:masters"), List.of()), CLIENT))
                .get().asString().contains("O=system:nodes");
        assertThat(Signers.KUBELET_CLIENT.problem(request("alice", List.of("system:nodes"), List.of()), CLIENT))
                .isPresent();
        assertThat(Signers.KUBELET_CLIENT.problem(request("system:node:a", List.of("system:nodes"), List.of("a")), CLIENT))
                .get().asString().contains("not allowed");
        assertThat(Signers.KUBELET_CLIENT.problem(request("system:node:a", List.of("system:nodes"), List.of()), SERVER))
                .get().asString().contains("usages");
    }

    @Test
    void kubeletServingCertificatesNeedNamesAndServerAuth() {
        assertThat(Signers.KUBELET_SERVING.problem(request("system:node:a", List.of("system:nodes"), List.of("a")), SERVER))
                .isEmpty();
        assertThat(Signers.KUBELET_SERVING.problem(request("system:node:a", List.of("system:nodes"), List.of()), SERVER))
                .get().asString().contains("at least one");
        assertThat(Signers.KUBELET_SERVING.problem(request("system:node:a", List.of("system:nodes"), List.of("a")), CLIENT))
                .isPresent();
    }

    @Test
    void apiserverClientCertificatesNeedOnlyANameAndClientAuth() {
        assertThat(Signers.APISERVER_CLIENT.problem(request("alice", List.of("devs"), List.of()), CLIENT)).isEmpty();
        assertThat(Signers.APISERVER_CLIENT.problem(request("alice", List.of(), List.of()),
                List.of("client auth", "code signing"))).isPresent();
        assertThat(Signers.named("example.com/other")).isEmpty();
    }

    @Test
    void lifetimeIsTheAskedOneBetweenTenMinutesAndTheMaximum() {
        CsrSigningController signer = new CsrSigningController(null, Duration.ofDays(365));
        assertThat(signer.duration(csr(null))).isEqualTo(Duration.ofDays(365));
        assertThat(signer.duration(csr(3600))).isEqualTo(Duration.ofHours(1));
        assertThat(signer.duration(csr(60))).isEqualTo(Duration.ofMinutes(10));
        assertThat(signer.duration(csr(Integer.MAX_VALUE))).isEqualTo(Duration.ofDays(365));
    }

    private static io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest csr(Integer seconds) {
        return new CertificateSigningRequestBuilder().withNewSpec().withExpirationSeconds(seconds).endSpec().build();
    }

    private static CertificateRequest request(String cn, List<String> orgs, List<String> dns) {
        String pem = CertificateRequest.createPem(CertificateRequest.newEcKeyPair(), cn, orgs, dns, List.of());
        return CertificateRequest.parseBase64Pem(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
