package dev.flotilla.api.resource;

import java.security.SecureRandom;

/**
 * Upstream's simple name generator: a prefix (cut to 58 characters) and five random characters from
 * an alphabet without vowels and look-alike digits, as {@code metadata.generateName} and the
 * {@code kube-api-access-} token volume get.
 */
public final class GeneratedNames {

    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedNames() {
    }

    public static String generate(String prefix) {
        String base = prefix.length() > 58 ? prefix.substring(0, 58) : prefix;
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(ALPHANUMS.charAt(RANDOM.nextInt(ALPHANUMS.length())));
        }
        return base + suffix;
    }
}
