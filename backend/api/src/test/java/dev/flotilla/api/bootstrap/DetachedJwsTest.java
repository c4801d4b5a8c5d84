package dev.flotilla.api.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

class DetachedJwsTest {

    private static final BootstrapToken TOKEN = new BootstrapToken("abcdef", "0123456789abcdef");
    private static final String KUBECONFIG = "apiVersion: v1\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\n";

    @Test
    void signatureIsDetachedHs256WithTheTokenIdAsKeyId() throws Exception {
        String detached = DetachedJws.sign(KUBECONFIG, TOKEN);

        assertThat(detached).matches("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+");
        // An independent JWS library accepts it for the same payload and key.
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(detached);
        jws.setPayload(KUBECONFIG);
        jws.setKey(new HmacKey(TOKEN.value().getBytes(StandardCharsets.UTF_8)));
        // A 23-byte token is shorter than jose4j's HS256 minimum; upstream's signer accepts it too.
        jws.setDoKeyValidation(false);
        assertThat(jws.verifySignature()).isTrue();
        assertThat(jws.getKeyIdHeaderValue()).isEqualTo("abcdef");
        assertThat(jws.getAlgorithmHeaderValue()).isEqualTo(AlgorithmIdentifiers.HMAC_SHA256);
    }

    @Test
    void verifiesSignaturesMadeElsewhere() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(KUBECONFIG);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue("abcdef");
        jws.setKey(new HmacKey(TOKEN.value().getBytes(StandardCharsets.UTF_8)));
        // A 23-byte token is shorter than jose4j's HS256 minimum; upstream's signer accepts it too.
        jws.setDoKeyValidation(false);
        assertThat(DetachedJws.verifies(jws.getDetachedContentCompactSerialization(), KUBECONFIG, TOKEN)).isTrue();
    }

    @Test
    void rejectsAnotherSecretAnotherPayloadAndMalformedInput() {
        String detached = DetachedJws.sign(KUBECONFIG, TOKEN);
        assertThat(DetachedJws.verifies(detached, KUBECONFIG, new BootstrapToken("abcdef", "0123456789abcdee"))).isFalse();
        assertThat(DetachedJws.verifies(detached, KUBECONFIG + " ", TOKEN)).isFalse();
        String[] parts = detached.split("\\.\\.");
        assertThat(DetachedJws.verifies(parts[0] + ".eA." + parts[1], KUBECONFIG, TOKEN)).isFalse();
        assertThat(DetachedJws.verifies("", KUBECONFIG, TOKEN)).isFalse();
        assertThat(DetachedJws.verifies(null, KUBECONFIG, TOKEN)).isFalse();
        assertThat(DetachedJws.verifies("!!..!!", KUBECONFIG, TOKEN)).isFalse();
        // alg "none" is never accepted.
        String none = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(DetachedJws.verifies(none + ".." + parts[1], KUBECONFIG, TOKEN)).isFalse();
    }
}
