package dev.flotilla.api.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingKeyManagerTest {

    private final CertificateAuthority ca = CertificateAuthority.create("test-ca", Duration.ofDays(1));

    @TempDir
    Path dir;

    @Test
    void aServerPresentsTheReplacedCertificateAtTheNextHandshake() throws Exception {
        write(serving("first"), Instant.now().minusSeconds(60));
        ReloadingKeyManager keys = new ReloadingKeyManager(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        assertThat(peerCommonName(keys)).isEqualTo("CN=first");

        write(serving("second"), Instant.now());
        assertThat(peerCommonName(keys)).isEqualTo("CN=second");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateKeepsTheLastGoodPair() {
        IssuedCertificate first = serving("first");
        write(first, Instant.now().minusSeconds(60));
        ReloadingKeyManager keys = new ReloadingKeyManager(dir.resolve("tls.crt"), dir.resolve("tls.key"));

        // Half-way through a rotation: the new key is written, the certificate not yet.
        PemFiles.write(dir.resolve("tls.key"), PemFiles.toPem(serving("second").privateKey()), true);

        assertThat(keys.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=first");
        assertThat(keys.getPrivateKey("current")).isEqualTo(first.privateKey());
    }

    @Test
    void aMissingFileIsAnErrorAtStartNamingIt() {
        assertThatThrownBy(() -> new ReloadingKeyManager(dir.resolve("absent.crt"), dir.resolve("absent.key")))
                .isInstanceOf(PkiException.class).hasMessageContaining("absent.crt");
    }

    private IssuedCertificate serving(String name) {
        return ca.issue(CertificateSpec.server(name, List.of("localhost"), List.of("127.0.0.1"), Duration.ofHours(1)));
    }

    private void write(IssuedCertificate issued, Instant modified) {
        try {
            PemFiles.write(dir.resolve("tls.key"), PemFiles.toPem(issued.privateKey()), true);
            PemFiles.write(dir.resolve("tls.crt"), PemFiles.toPem(issued.certificate()), false);
            Files.setLastModifiedTime(dir.resolve("tls.key"), FileTime.from(modified));
            Files.setLastModifiedTime(dir.resolve("tls.crt"), FileTime.from(modified));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The subject of the certificate a TLS server using {@code keys} presents to a client. */
    private String peerCommonName(ReloadingKeyManager keys) throws Exception {
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(new KeyManager[] {keys}, null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
            Thread accept = new Thread(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept(); OutputStream out = accepted.getOutputStream()) {
                    out.write(1);
                } catch (java.io.IOException ignored) {
                    // the client's assertion reports the failure
                }
            });
            accept.start();
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listener.getLocalPort());
                 InputStream in = socket.getInputStream()) {
                assertThat(in.read()).isEqualTo(1);
                X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                accept.join(5000);
                return peer.getSubjectX500Principal().getName();
            }
        }
    }
}
