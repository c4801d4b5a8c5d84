package dev.flotilla.api.bootstrap;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bootstrap token, {@code <id>.<secret>} ({@code [a-z0-9]{6}.[a-z0-9]{16}}), as kubeadm makes them: the
 * id is public (it names the Secret {@code kube-system/bootstrap-token-<id>} and the user
 * {@code system:bootstrap:<id>}), the secret is the credential.
 */
public record BootstrapToken(String id, String secret) {

    public static final String SECRET_NAMESPACE = "kube-system";
    public static final String SECRET_NAME_PREFIX = "bootstrap-token-";
    public static final String USER_PREFIX = "system:bootstrap:";
    public static final String GROUP = "system:bootstrappers";

    private static final Pattern FORMAT = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    public BootstrapToken {
        if (!FORMAT.matcher(id + "." + secret).matches()) {
            throw new IllegalArgumentException("a bootstrap token has the form [a-z0-9]{6}.[a-z0-9]{16}");
        }
    }

    /** The token a string holds, or empty if it does not have the bootstrap token form. */
    public static Optional<BootstrapToken> parse(String token) {
        Matcher matcher = FORMAT.matcher(token == null ? "" : token);
        return matcher.matches() ? Optional.of(new BootstrapToken(matcher.group(1), matcher.group(2)))
                : Optional.empty();
    }

    public static BootstrapToken generate() {
        return new BootstrapToken(random(6), random(16));
    }

    /** The id a Secret name carries, or empty if it is not named {@code bootstrap-token-<id>}. */
    public static Optional<String> idOfSecretName(String name) {
        if (name == null || !name.startsWith(SECRET_NAME_PREFIX)) {
            return Optional.empty();
        }
        String id = name.substring(SECRET_NAME_PREFIX.length());
        return id.matches("[a-z0-9]{6}") ? Optional.of(id) : Optional.empty();
    }

    public String secretName() {
        return SECRET_NAME_PREFIX + id;
    }

    public String userName() {
        return USER_PREFIX + id;
    }

    /** The token as a client sends it. */
    public String value() {
        return id + "." + secret;
    }

    /** Only the id: the secret half never goes into logs or messages. */
    @Override
    public String toString() {
        return "bootstrap token " + id;
    }

    private static String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
