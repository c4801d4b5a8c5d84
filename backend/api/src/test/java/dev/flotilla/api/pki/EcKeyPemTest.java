package dev.flotilla.api.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EcKeyPemTest {

    @Test
    void ecKeysAreWrittenAsSec1WithTheNamedCurveAndReadBack(@TempDir Path dir) throws Exception {
        KeyPair keys = CertificateRequest.newEcKeyPair();
        Path file = dir.resolve("node.key");

        PemFiles.write(file, PemFiles.toPem(keys.getPrivate()), true);

        assertThat(Files.readString(file)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(((java.security.interfaces.ECPrivateKey) PemFiles.readPrivateKey(file)).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS());
        // openssl (like Go) finds the curve in the key itself.
        Process openssl = new ProcessBuilder("openssl", "ec", "-in", file.toString(), "-noout", "-text")
                .redirectErrorStream(true).start();
        String text = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(text).isZero();
        assertThat(text).contains("ASN1 OID: prime256v1").contains("pub:");
    }
}
