package dev.flotilla.api.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    private final CertificateAuthority ca = CertificateAuthority.create("test-ca", Duration.ofDays(1));

    @Test
    void clientCertificateCarriesUserAsCommonNameAndGroupsAsOrganizations() throws Exception {
        IssuedCertificate admin = ca.issue(CertificateSpec.client("admin", List.of("system:masters", "ops"),
                Duration.ofHours(1)));

        X509Certificate cert = admin.certificate();
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=admin,O=ops,O=system:masters");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(ca.verifies(cert)).isTrue();
    }

    @Test
    void serverCertificateListsEveryNameAndAddress() throws Exception {
        X509Certificate cert = ca.issue(CertificateSpec.server("apiserver", List.of("localhost", "kubernetes"),
                List.of("127.0.0.1", "::1"), Duration.ofHours(1))).certificate();

        assertThat(cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList())
                .contains("localhost", "kubernetes", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void certificatesFromAnotherAuthorityAreNotVerified() {
        CertificateAuthority other = CertificateAuthority.create("other", Duration.ofDays(1));
        X509Certificate foreign = other.issue(CertificateSpec.client("mallory", List.of(), Duration.ofHours(1)))
                .certificate();

        assertThat(ca.verifies(foreign)).isFalse();
    }

    @Test
    void pemRoundTripKeepsCertificateAndKeyAndProtectsTheKey(@TempDir Path dir) throws Exception {
        IssuedCertificate issued = ca.issue(CertificateSpec.client("u", List.of(), Duration.ofHours(1)));
        PemFiles.write(dir.resolve("u.crt"), PemFiles.toPem(issued.certificate()), false);
        PemFiles.write(dir.resolve("u.key"), PemFiles.toPem(issued.privateKey()), true);

        assertThat(PemFiles.readCertificate(dir.resolve("u.crt"))).isEqualTo(issued.certificate());
        assertThat(PemFiles.readPrivateKey(dir.resolve("u.key")).getEncoded())
                .isEqualTo(issued.privateKey().getEncoded());
        assertThat(Files.readString(dir.resolve("u.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("u.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void readingAFileWithoutACertificateSaysSo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("empty.crt"), "not a certificate\n");

        assertThatThrownBy(() -> PemFiles.readCertificate(dir.resolve("empty.crt")))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("no certificate in");
    }
}
