package dev.flotilla.api.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CaCertHashTest {

    private final CertificateAuthority ca = CertificateAuthority.create("test-ca", Duration.ofDays(1));

    @Test
    void hashIsSha256OfTheSubjectPublicKeyInfo() throws Exception {
        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(ca.certificate().getPublicKey().getEncoded()));

        assertThat(CaCertHash.of(ca.certificate())).isEqualTo(expected).matches("sha256:[0-9a-f]{64}");
        assertThat(CaCertHash.matches(expected, ca.certificate())).isTrue();
        assertThat(CaCertHash.matches(expected.toUpperCase().replace("SHA256", "sha256"), ca.certificate())).isTrue();
    }

    @Test
    void anotherCaOrAMalformedPinDoesNotMatch() {
        CertificateAuthority other = CertificateAuthority.create("test-ca", Duration.ofDays(1));
        assertThat(CaCertHash.matches(CaCertHash.of(other.certificate()), ca.certificate())).isFalse();
        assertThat(CaCertHash.matches("", ca.certificate())).isFalse();
        assertThat(CaCertHash.matches(null, ca.certificate())).isFalse();
        assertThat(CaCertHash.wellFormed("sha256:" + "a".repeat(64))).isTrue();
        assertThat(CaCertHash.wellFormed("md5:" + "a".repeat(32))).isFalse();
        assertThat(CaCertHash.wellFormed("sha256:" + "a".repeat(63))).isFalse();
    }
}
