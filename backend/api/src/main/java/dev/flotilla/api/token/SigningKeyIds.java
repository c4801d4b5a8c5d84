package dev.flotilla.api.token;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;

/**
 * The {@code kid} of a signing key, derived from the key alone (SHA-256 of its DER encoding,
 * unpadded base64url, as upstream) so that every API server sharing the key names it the same way.
 */
public final class SigningKeyIds {

    private SigningKeyIds() {
    }

    public static String of(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
