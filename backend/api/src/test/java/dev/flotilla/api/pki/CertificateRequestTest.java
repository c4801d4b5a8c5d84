package dev.flotilla.api.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateRequestTest {

    @Test
    void requestCarriesSubjectNamesAndAnEcKey() {
        KeyPair keys = CertificateRequest.newEcKeyPair();
        String pem = CertificateRequest.createPem(keys, "system:node:worker-1", List.of("system:nodes"),
                List.of("worker-1"), List.of("10.0.0.7", "::1"));

        CertificateRequest parsed = CertificateRequest.parseBase64Pem(Base64.getEncoder()
                .encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));

        assertThat(parsed.commonName()).isEqualTo("system:node:worker-1");
        assertThat(parsed.organizations()).containsExactly("system:nodes");
        assertThat(parsed.dnsNames()).containsExactly("worker-1");
        assertThat(parsed.ipAddresses()).containsExactly("10.0.0.7", "0:0:0:0:0:0:0:1");
        assertThat(parsed.publicKey()).isEqualTo(keys.getPublic());
        assertThat(parsed.publicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(parsed.signatureValid()).isTrue();
    }

    @Test
    void otherPemBlocksAndGarbageAreRefused() {
        CertificateAuthority ca = CertificateAuthority.create("ca", java.time.Duration.ofDays(1));
        assertThatThrownBy(() -> CertificateRequest.parsePem(PemFiles.toPem(ca.certificate())))
                .isInstanceOf(PkiException.class).hasMessageContaining("CERTIFICATE REQUEST");
        assertThatThrownBy(() -> CertificateRequest.parseBase64Pem("%%%")).isInstanceOf(PkiException.class);
        assertThatThrownBy(() -> CertificateRequest.parsePem(
                "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"))
                .isInstanceOf(PkiException.class);
    }
}
