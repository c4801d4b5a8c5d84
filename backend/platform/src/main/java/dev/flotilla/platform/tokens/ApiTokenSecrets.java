package dev.flotilla.platform.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of a platform API token, {@code flt_<prefix>_<secret>}: the prefix (12 lowercase
 * letters and digits) finds the row, the secret (256 random bits, base64url) is checked against a
 * salted SHA-256, which suffices for a secret this long (no password stretching needed).
 */
public final class ApiTokenSecrets {

    public static final String MARK = "flt_";
    private static final Pattern SHAPE = Pattern.compile("flt_([a-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final String PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiTokenSecrets() {
    }

    /** A token's two parts. */
    public record Parts(String prefix, String secret) {

        public String token() {
            return MARK + prefix + "_" + secret;
        }
    }

    public static Parts generate() {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            prefix.append(PREFIX_ALPHABET.charAt(RANDOM.nextInt(PREFIX_ALPHABET.length())));
        }
        return new Parts(prefix.toString(), Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32)));
    }

    /** The parts of a string shaped like a token; empty for anything else. */
    public static Optional<Parts> parse(String token) {
        Matcher matcher = SHAPE.matcher(token);
        return matcher.matches() ? Optional.of(new Parts(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    public static byte[] salt() {
        return randomBytes(16);
    }

    public static byte[] hash(byte[] salt, String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            return digest.digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Whether {@code secret} is the one hashed, compared in constant time. */
    public static boolean matches(byte[] salt, byte[] expectedHash, String secret) {
        return MessageDigest.isEqual(expectedHash, hash(salt, secret));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
