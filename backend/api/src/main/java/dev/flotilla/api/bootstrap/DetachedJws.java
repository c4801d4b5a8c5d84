package dev.flotilla.api.bootstrap;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The detached JWS (RFC 7515 appendix F) that upstream's bootstrap signer puts next to the
 * {@code kube-public/cluster-info} kubeconfig as {@code jws-kubeconfig-<token id>}: HS256 keyed with the
 * whole token {@code <id>.<secret>}, header {@code {"alg":"HS256","kid":"<id>"}}, payload left out
 * ({@code header..signature}). A joining node that knows the token proves the kubeconfig came from
 * someone who knows it too, before trusting the CA it names.
 */
public final class DetachedJws {

    public static final String CONFIG_MAP_KEY_PREFIX = "jws-kubeconfig-";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private DetachedJws() {
    }

    public static String sign(String payload, BootstrapToken token) {
        String header = ENCODER.encodeToString(("{\"alg\":\"HS256\",\"kid\":\"" + token.id() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        return header + ".." + ENCODER.encodeToString(mac(header, payload, token));
    }

    /** Whether {@code detached} signs {@code payload} with {@code token} (HS256, constant-time compare). */
    public static boolean verifies(String detached, String payload, BootstrapToken token) {
        String[] parts = detached == null ? new String[0] : detached.split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            return false;
        }
        String header;
        try {
            header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!header.replace(" ", "").contains("\"alg\":\"HS256\"")) {
            return false;
        }
        byte[] expected = mac(parts[0], payload, token);
        byte[] actual;
        try {
            actual = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] mac(String encodedHeader, String payload, BootstrapToken token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signingInput = encodedHeader + "." + ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
