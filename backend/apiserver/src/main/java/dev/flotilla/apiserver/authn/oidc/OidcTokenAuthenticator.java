package dev.flotilla.apiserver.authn.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.pki.PemFiles;
import dev.flotilla.api.token.InvalidTokenException;
import dev.flotilla.api.token.VerifiedSignatures;
import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.authn.TokenAuthentication;
import dev.flotilla.apiserver.authn.TokenAuthenticator;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * ID tokens of the configured OpenID Connect issuer ({@link OidcProperties}): tokens whose
 * {@code iss} is that issuer are this authenticator's to accept or reject; they must be signed by one
 * of the issuer's keys with an allowed algorithm, carry the client id as audience, be unexpired and
 * already valid, and map to a user by {@link OidcClaimMapping}. As upstream, such a token is valid for
 * the API's own audiences only.
 */
@Singleton
public class OidcTokenAuthenticator implements TokenAuthenticator {

    /** go-oidc's leeway for {@code nbf}; {@code exp} has none. */
    private static final Duration NOT_BEFORE_LEEWAY = Duration.ofMinutes(5);
    /**
     * The issuer may retire a key at any time; a signature checked with it is trusted for as long as
     * upstream's bearer-token cache trusts an authentication result.
     */
    private static final Duration SIGNATURE_REMEMBERED_FOR = Duration.ofSeconds(10);
    private static final long REMEMBERED_TOKENS = 10_000;

    private final OidcProperties properties;
    private final List<String> apiAudiences;
    private final Clock clock;
    private final OidcClaimMapping mapping;
    private final OidcSigningKeys keys;
    private final VerifiedSignatures signatures = new VerifiedSignatures(REMEMBERED_TOKENS, SIGNATURE_REMEMBERED_FOR);

    public OidcTokenAuthenticator(OidcProperties properties, ApiServerProperties apiServer) {
        this(properties, apiServer.getApiAudiences(), Clock.systemUTC(), httpClient(properties));
        if (properties.isEnabled()) {
            requireValid(properties);
        }
    }

    OidcTokenAuthenticator(OidcProperties properties, List<String> apiAudiences, Clock clock, HttpClient http) {
        this.properties = properties;
        this.apiAudiences = List.copyOf(apiAudiences);
        this.clock = clock;
        this.mapping = new OidcClaimMapping(properties);
        this.keys = new OidcSigningKeys(properties.getIssuerUrl(), http, clock);
    }

    private static void requireValid(OidcProperties properties) {
        if (!"https".equals(URI.create(properties.getIssuerUrl()).getScheme())) {
            throw new IllegalArgumentException("flotilla.apiserver.oidc.issuer-url must use the https scheme: "
                    + properties.getIssuerUrl());
        }
        if (properties.getClientId() == null || properties.getClientId().isEmpty()) {
            throw new IllegalArgumentException("flotilla.apiserver.oidc.client-id is required with an issuer URL");
        }
    }

    private static HttpClient httpClient(OidcProperties properties) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (properties.isEnabled() && properties.getCaFile() != null) {
            builder.sslContext(trusting(PemFiles.readCertificates(properties.getCaFile())));
        }
        return builder.build();
    }

    private static SSLContext trusting(List<X509Certificate> authorities) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                trusted.setCertificateEntry("oidc-ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the OIDC CA file: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<TokenAuthentication> authenticate(String token, List<String> audiences)
            throws InvalidTokenException {
        if (!properties.isEnabled() || !properties.getIssuerUrl().equals(unverifiedIssuer(token))) {
            return Optional.empty();
        }
        List<String> accepted = audiences.stream().filter(apiAudiences::contains).toList();
        if (accepted.isEmpty()) {
            return Optional.empty();
        }
        JsonNode claims = signatures.payload(token, this::verifiedClaims);
        requireValidFor(claims);
        return Optional.of(new TokenAuthentication(mapping.userOf(claims), accepted));
    }

    private static String unverifiedIssuer(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            return Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1])).path("iss").asText(null);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private JsonNode verifiedClaims(String token) throws InvalidTokenException {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                    properties.getSigningAlgs().toArray(String[]::new)));
            jws.setCompactSerialization(token);
            String keyId = jws.getKeyIdHeaderValue();
            if (verifiedByOneOf(jws, keys.known(keyId)) || verifiedByOneOf(jws, keys.fetched(keyId))) {
                return Json.mapper().readTree(jws.getUnverifiedPayloadBytes());
            }
            throw new InvalidTokenException("oidc: verify token: failed to verify signature");
        } catch (JoseException | IOException | IllegalArgumentException e) {
            throw new InvalidTokenException("oidc: malformed jwt: " + e.getMessage());
        }
    }

    private static boolean verifiedByOneOf(JsonWebSignature jws, List<JsonWebKey> candidates) throws JoseException {
        for (JsonWebKey key : candidates) {
            jws.setKey(key.getKey());
            if (jws.verifySignature()) {
                return true;
            }
        }
        return false;
    }

    private void requireValidFor(JsonNode claims) throws InvalidTokenException {
        if (!properties.getIssuerUrl().equals(claims.path("iss").asText())) {
            throw new InvalidTokenException("oidc: id token issued by a different provider");
        }
        List<String> tokenAudiences = new ArrayList<>();
        JsonNode aud = claims.path("aud");
        if (aud.isTextual()) {
            tokenAudiences.add(aud.asText());
        } else {
            aud.forEach(value -> tokenAudiences.add(value.asText()));
        }
        if (!tokenAudiences.contains(properties.getClientId())) {
            throw new InvalidTokenException("oidc: expected audience \"" + properties.getClientId() + "\" got "
                    + tokenAudiences);
        }
        Instant now = clock.instant();
        if (!claims.path("exp").isNumber()) {
            throw new InvalidTokenException("oidc: token has no expiry");
        }
        if (Instant.ofEpochSecond(claims.path("exp").asLong()).isBefore(now)) {
            throw new InvalidTokenException("oidc: token is expired");
        }
        if (claims.path("nbf").isNumber()
                && now.plus(NOT_BEFORE_LEEWAY).isBefore(Instant.ofEpochSecond(claims.path("nbf").asLong()))) {
            throw new InvalidTokenException("oidc: current time is before the nbf (not before) time");
        }
    }
}
