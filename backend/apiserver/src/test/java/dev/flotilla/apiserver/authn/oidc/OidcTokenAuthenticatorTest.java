package dev.flotilla.apiserver.authn.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.token.InvalidTokenException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OIDC authenticator against an issuer served by a real loopback HTTP server whose keys the
 * test rotates; the end-to-end test with a real OIDC provider and kubectl is OidcAuthenticationIT.
 */
class OidcTokenAuthenticatorTest {

    private static final List<String> API = List.of("https://kubernetes.default.svc.cluster.local");

    private HttpServer server;
    private String issuer;
    private final AtomicReference<List<RsaJsonWebKey>> published = new AtomicReference<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private RsaJsonWebKey first;

    @BeforeEach
    void startIssuer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/demo";
        first = key("one");
        published.set(List.of(first));
        server.createContext("/realms/demo/.well-known/openid-configuration", exchange -> respond(exchange,
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/certs\"}"));
        server.createContext("/realms/demo/certs", exchange -> {
            jwksFetches.incrementAndGet();
            respond(exchange, new JsonWebKeySet(published.get().toArray(JsonWebKey[]::new))
                    .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        });
        server.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterEach
    void stopIssuer() {
        server.stop(0);
    }

    @Test
    void aValidTokenBecomesThePrefixedUserWithPrefixedGroups() throws Exception {
        OidcTokenAuthenticator authenticator = authenticator(properties("oidc:", "oidc:"));

        UserInfo user = authenticator.authenticate(token(first, claims("alice")), API).orElseThrow().user();

        assertThat(user.name()).isEqualTo("oidc:alice");
        assertThat(user.groups()).containsExactly("oidc:dev", "oidc:ops", "system:authenticated");
    }

    @Test
    void theDefaultUsernamePrefixIsTheIssuerExceptForEmail() throws Exception {
        OidcProperties bySubject = properties(null, "");
        assertThat(authenticator(bySubject).authenticate(token(first, claims("alice")), API).orElseThrow().user().name())
                .isEqualTo(issuer + "#alice");

        OidcProperties byEmail = properties(null, "");
        byEmail.setUsernameClaim("email");
        JwtClaims verified = claims("alice");
        verified.setClaim("email", "alice@example.com");
        verified.setClaim("email_verified", true);
        assertThat(authenticator(byEmail).authenticate(token(first, verified), API).orElseThrow().user().name())
                .isEqualTo("alice@example.com");

        verified.setClaim("email_verified", false);
        assertThatThrownBy(() -> authenticator(byEmail).authenticate(token(first, verified), API))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("email not verified");
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesIt() throws Exception {
        OidcTokenAuthenticator authenticator = authenticator(properties("-", ""));
        assertThat(authenticator.authenticate(token(first, claims("alice")), API)).isPresent();
        int fetches = jwksFetches.get();

        RsaJsonWebKey second = key("two");
        published.set(List.of(second));
        now.set(now.get().plusSeconds(2));
        assertThat(authenticator.authenticate(token(second, claims("bob")), API).orElseThrow().user().name())
                .isEqualTo("bob");
        assertThat(jwksFetches.get()).isEqualTo(fetches + 1);
        assertThat(authenticator.authenticate(token(second, claims("bob")), API)).isPresent();
        assertThat(jwksFetches.get()).as("a known key needs no fetch").isEqualTo(fetches + 1);
    }

    @Test
    void aKeyReplacedUnderTheSameIdIsFetchedToo() throws Exception {
        OidcTokenAuthenticator authenticator = authenticator(properties("-", ""));
        assertThat(authenticator.authenticate(token(first, claims("alice")), API)).isPresent();

        RsaJsonWebKey replacement = key("one");
        published.set(List.of(replacement));
        now.set(now.get().plusSeconds(2));
        assertThat(authenticator.authenticate(token(replacement, claims("alice")), API)).isPresent();
    }

    @Test
    void unknownKeyIdsDoNotMakeTheIssuerBeAskedMoreThanOncePerInterval() throws Exception {
        OidcTokenAuthenticator authenticator = authenticator(properties("-", ""));
        RsaJsonWebKey stranger = key("stranger");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> authenticator.authenticate(token(stranger, claims("mallory")), API))
                    .isInstanceOf(InvalidTokenException.class);
        }
        assertThat(jwksFetches.get()).isEqualTo(1);
    }

    @Test
    void tokensFromOtherIssuersAreLeftToOtherAuthenticators() throws Exception {
        JwtClaims foreign = claims("alice");
        foreign.setIssuer("https://elsewhere.example");
        assertThat(authenticator(properties("-", "")).authenticate(token(first, foreign), API)).isEmpty();
        assertThat(authenticator(properties("-", "")).authenticate("not-a-jwt", API)).isEmpty();
    }

    @Test
    void expiredNotYetValidWrongAudienceForgedAndMissingRequiredClaimsAreRejected() throws Exception {
        OidcProperties required = properties("-", "");
        required.setRequiredClaims(List.of("hd=example.com"));
        JwtClaims expired = claims("alice");
        expired.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(now.get().getEpochSecond() - 1));
        JwtClaims early = claims("alice");
        early.setNotBefore(org.jose4j.jwt.NumericDate.fromSeconds(now.get().getEpochSecond() + 600));
        JwtClaims otherAudience = claims("alice");
        otherAudience.setAudience("another-client");
        String forged = token(key("one"), claims("alice"));

        Map<String, String> cases = Map.of(
                token(first, expired), "token is expired",
                token(first, early), "nbf",
                token(first, otherAudience), "expected audience",
                forged, "failed to verify signature",
                token(first, claims("alice")), "required claim hd not present");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            assertThatThrownBy(() -> authenticator(required).authenticate(bad.getKey(), API))
                    .isInstanceOf(InvalidTokenException.class).hasMessageContaining(bad.getValue());
        }
    }

    @Test
    void tokenReviewsForOtherAudiencesAreNotAnswered() throws Exception {
        assertThat(authenticator(properties("-", "")).authenticate(token(first, claims("alice")), List.of("vault")))
                .isEmpty();
    }

    private OidcProperties properties(String usernamePrefix, String groupsPrefix) {
        OidcProperties properties = new OidcProperties();
        properties.setIssuerUrl(issuer);
        properties.setClientId("kubectl");
        properties.setUsernamePrefix(usernamePrefix);
        properties.setGroupsClaim("groups");
        properties.setGroupsPrefix(groupsPrefix);
        return properties;
    }

    private OidcTokenAuthenticator authenticator(OidcProperties properties) {
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return new OidcTokenAuthenticator(properties, API, clock, HttpClient.newHttpClient());
    }

    private JwtClaims claims(String subject) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        claims.setAudience("kubectl");
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(now.get().getEpochSecond()));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(now.get().getEpochSecond() + 3600));
        claims.setStringListClaim("groups", "dev", "ops");
        return claims;
    }

    private static RsaJsonWebKey key(String id) throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(id);
        return key;
    }

    private static String token(RsaJsonWebKey key, JwtClaims claims) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }
}
