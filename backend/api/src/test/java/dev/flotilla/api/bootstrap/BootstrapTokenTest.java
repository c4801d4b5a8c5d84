package dev.flotilla.api.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootstrapTokenTest {

    @Test
    void parsesOnlyTheKubeadmForm() {
        assertThat(BootstrapToken.parse("abcdef.0123456789abcdef")).contains(new BootstrapToken("abcdef",
                "0123456789abcdef"));
        for (String bad : new String[] {"", "abcdef", "ABCDEF.0123456789abcdef", "abcde.0123456789abcdef",
                "abcdef.0123456789abcde", "abcdef:0123456789abcdef", "abcdef.0123456789abcdef0", " abcdef.0123456789abcdef"}) {
            assertThat(BootstrapToken.parse(bad)).as(bad).isEmpty();
        }
        assertThat(BootstrapToken.parse(null)).isEmpty();
    }

    @Test
    void generatedTokensParseAndNameTheirSecretAndUser() {
        BootstrapToken token = BootstrapToken.generate();
        assertThat(BootstrapToken.parse(token.value())).contains(token);
        assertThat(token.secretName()).isEqualTo("bootstrap-token-" + token.id());
        assertThat(token.userName()).isEqualTo("system:bootstrap:" + token.id());
        assertThat(token.toString()).doesNotContain(token.secret());
        assertThat(BootstrapToken.generate()).isNotEqualTo(token);
    }

    @Test
    void secretRoundTripsThroughItsData() {
        BootstrapToken token = new BootstrapToken("abcdef", "0123456789abcdef");
        BootstrapTokenSecret secret = new BootstrapTokenSecret(token, "2030-01-02T03:04:05Z", true, false,
                List.of("system:bootstrappers:workers"), "rack 7");

        BootstrapTokenSecret read = BootstrapTokenSecret.of(BootstrapTokenSecret.TYPE, token.secretName(),
                secret.data()).orElseThrow();

        assertThat(read).isEqualTo(secret);
        assertThat(read.extraGroupsValid()).isTrue();
        assertThat(read.expired(Instant.parse("2030-01-02T03:04:04Z"))).isFalse();
        assertThat(read.expired(Instant.parse("2030-01-02T03:04:05Z"))).isTrue();
    }

    @Test
    void malformedSecretsAreNotTokens() {
        Map<String, String> data = encoded(Map.of("token-id", "abcdef", "token-secret", "0123456789abcdef"));
        assertThat(BootstrapTokenSecret.of(BootstrapTokenSecret.TYPE, "bootstrap-token-abcdef", data)).isPresent();
        assertThat(BootstrapTokenSecret.of("Opaque", "bootstrap-token-abcdef", data)).isEmpty();
        assertThat(BootstrapTokenSecret.of(BootstrapTokenSecret.TYPE, "bootstrap-token-zzzzzz", data)).isEmpty();
        assertThat(BootstrapTokenSecret.of(BootstrapTokenSecret.TYPE, "bootstrap-token-abcdef",
                encoded(Map.of("token-id", "abcdef", "token-secret", "short")))).isEmpty();
        assertThat(BootstrapTokenSecret.of(BootstrapTokenSecret.TYPE, "bootstrap-token-abcdef",
                Map.of("token-id", "not base64!"))).isEmpty();
    }

    @Test
    void usagesMustBeExactlyTrueAndBadExpirationsCountAsExpired() {
        Map<String, String> plain = new LinkedHashMap<>(Map.of("token-id", "abcdef", "token-secret", "0123456789abcdef",
                "usage-bootstrap-authentication", "yes", "usage-bootstrap-signing", "true", "expiration", "tomorrow",
                "auth-extra-groups", "system:masters"));
        BootstrapTokenSecret secret = BootstrapTokenSecret.of(BootstrapTokenSecret.TYPE, "bootstrap-token-abcdef",
                encoded(plain)).orElseThrow();
        assertThat(secret.authentication()).isFalse();
        assertThat(secret.signing()).isTrue();
        assertThat(secret.expired(Instant.EPOCH)).isTrue();
        assertThat(secret.extraGroupsValid()).isFalse();
    }

    private static Map<String, String> encoded(Map<String, String> plain) {
        Map<String, String> data = new LinkedHashMap<>();
        plain.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return data;
    }
}
