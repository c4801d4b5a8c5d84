package dev.flotilla.api.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.pki.CertificateAuthority;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceAccountTokenVerifierTest {

    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final KeyPair KEYS = CertificateAuthority.newKeyPair();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final ServiceAccountTokenVerifier verifier = new ServiceAccountTokenVerifier(ISSUER,
            List.of(KEYS.getPublic()));

    @Test
    void aSignedTokenVerifiesWithItsClaims() throws Exception {
        String token = new ServiceAccountTokenSigner(KEYS).sign(claims(List.of("api"), NOW.plusSeconds(600)));
        assertThat(verifier.isFromIssuer(token)).isTrue();
        ServiceAccountClaims claims = verifier.verify(token, List.of("api", "other"), NOW);
        assertThat(claims.subject()).isEqualTo("system:serviceaccount:x:default");
        assertThat(claims.serviceAccount()).isEqualTo(new BoundObject("default", "sa-uid"));
        assertThat(claims.pod()).isEqualTo(new BoundObject("web", "pod-uid"));
        assertThat(claims.secret()).isNull();
        assertThat(claims.expiresAt()).isEqualTo(NOW.plusSeconds(600));
    }

    @Test
    void expiredWrongAudienceAndForeignKeyAreRejected() {
        ServiceAccountTokenSigner signer = new ServiceAccountTokenSigner(KEYS);
        String expired = signer.sign(claims(List.of("api"), NOW.minusSeconds(120)));
        assertThatThrownBy(() -> verifier.verify(expired, List.of("api"), NOW))
                .hasMessage("service account token has expired");
        String elsewhere = signer.sign(claims(List.of("vault"), NOW.plusSeconds(600)));
        assertThatThrownBy(() -> verifier.verify(elsewhere, List.of("api"), NOW))
                .hasMessage("token audiences [\"vault\"] is invalid for the target audiences [\"api\"]");
        String forged = new ServiceAccountTokenSigner(CertificateAuthority.newKeyPair())
                .sign(claims(List.of("api"), NOW.plusSeconds(600)));
        assertThatThrownBy(() -> verifier.verify(forged, List.of("api"), NOW))
                .hasMessage("token signature is invalid");
        assertThatThrownBy(() -> verifier.verify("a.b.c", List.of("api"), NOW))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void aTokenVerifiedBeforeIsStillCheckedForTimeAndAudience() throws Exception {
        String token = new ServiceAccountTokenSigner(KEYS).sign(claims(List.of("api"), NOW.plusSeconds(600)));
        verifier.verify(token, List.of("api"), NOW);
        // The signature is remembered; the expiry and the audience are not.
        assertThatThrownBy(() -> verifier.verify(token, List.of("api"), NOW.plusSeconds(3600)))
                .hasMessage("service account token has expired");
        assertThatThrownBy(() -> verifier.verify(token, List.of("vault"), NOW))
                .hasMessage("token audiences [\"api\"] is invalid for the target audiences [\"vault\"]");
        assertThat(verifier.isFromIssuer(token)).isTrue();
        assertThat(verifier.verify(token, List.of("api"), NOW).subject()).isEqualTo("system:serviceaccount:x:default");
    }

    @Test
    void aForgedTokenStaysRejectedEveryTime() {
        String forged = new ServiceAccountTokenSigner(CertificateAuthority.newKeyPair())
                .sign(claims(List.of("api"), NOW.plusSeconds(600)));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> verifier.verify(forged, List.of("api"), NOW))
                    .hasMessage("token signature is invalid");
        }
    }

    @Test
    void tokensOfOtherIssuersAreNotThisVerifiersBusiness() {
        String other = new ServiceAccountTokenSigner(KEYS).sign(new ServiceAccountClaims("https://elsewhere",
                List.of("api"), NOW, NOW, NOW.plusSeconds(600), "id", "x", new BoundObject("default", "u"), null,
                null, null));
        assertThat(verifier.isFromIssuer(other)).isFalse();
        assertThat(verifier.isFromIssuer("not-a-jwt")).isFalse();
    }

    @Test
    void theKeySetPublishesTheKeyUnderItsId() {
        String jwks = JsonWebKeys.document(List.of(KEYS.getPublic()));
        assertThat(jwks).contains("\"kid\":\"" + SigningKeyIds.of(KEYS.getPublic()) + "\"")
                .contains("\"alg\":\"RS256\"").contains("\"use\":\"sig\"").doesNotContain("\"d\"");
    }

    private static ServiceAccountClaims claims(List<String> audiences, Instant expiry) {
        Instant issued = expiry.minusSeconds(600);
        return new ServiceAccountClaims(ISSUER, audiences, issued, issued, expiry, "jti-1", "x",
                new BoundObject("default", "sa-uid"), new BoundObject("web", "pod-uid"), null, null);
    }
}
