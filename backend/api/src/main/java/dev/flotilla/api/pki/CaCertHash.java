package dev.flotilla.api.pki;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * kubeadm's {@code --discovery-token-ca-cert-hash}: {@code sha256:} and the hex SHA-256 of the CA
 * certificate's DER SubjectPublicKeyInfo. Pinning the public key rather than the certificate keeps the
 * pin valid when the CA certificate is re-issued for the same key.
 */
public final class CaCertHash {

    public static final String PREFIX = "sha256:";

    private CaCertHash() {
    }

    public static String of(X509Certificate ca) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ca.getPublicKey().getEncoded());
            return PREFIX + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether a pin ({@code sha256:<64 hex>}, any case) names this CA; constant-time compare. */
    public static boolean matches(String pin, X509Certificate ca) {
        String normalized = pin == null ? "" : pin.trim().toLowerCase(Locale.ROOT);
        return MessageDigest.isEqual(normalized.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                of(ca).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Whether a string has the pin's form at all (to tell a typo from a wrong CA). */
    public static boolean wellFormed(String pin) {
        return pin != null && pin.trim().toLowerCase(Locale.ROOT).matches("sha256:[0-9a-f]{64}");
    }
}
