package dev.flotilla.api.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Checks a service account token's signature (RS256, one of the known public keys), times and
 * audience. Whether the objects it names still exist is the caller's business: that needs the API.
 */
public final class ServiceAccountTokenVerifier {

    /** go-jose's default leeway, which upstream's validation uses for exp, nbf and iat. */
    private static final Duration LEEWAY = Duration.ofMinutes(1);

    /**
     * The keys never change for one verifier, so a signature once verified stays verified; the bound is
     * the number of distinct tokens in use (one per pod and per client, typically).
     */
    private static final long REMEMBERED_TOKENS = 10_000;
    private static final Duration REMEMBERED_FOR = Duration.ofMinutes(10);

    private final String issuer;
    private final Map<String, PublicKey> keysById = new LinkedHashMap<>();
    private final VerifiedSignatures signatures = new VerifiedSignatures(REMEMBERED_TOKENS, REMEMBERED_FOR);

    public ServiceAccountTokenVerifier(String issuer, List<PublicKey> keys) {
        this.issuer = issuer;
        keys.forEach(key -> keysById.put(SigningKeyIds.of(key), key));
    }

    public String issuer() {
        return issuer;
    }

    /**
     * Whether the token is a JWT whose {@code iss} is this issuer, read without verifying anything:
     * only such tokens are this verifier's to accept or reject; others belong to other authenticators.
     */
    public boolean isFromIssuer(String token) {
        JsonNode known = signatures.known(token);
        if (known != null) {
            return issuer.equals(known.path("iss").asText(null));
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        try {
            JsonNode payload = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            return payload != null && issuer.equals(payload.path("iss").asText(null));
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }

    /** The token's claims if it is valid now for one of {@code audiences}, else why not. */
    public ServiceAccountClaims verify(String token, Collection<String> audiences, Instant now)
            throws InvalidTokenException {
        JsonNode payload = signatures.payload(token, this::verifiedPayload);
        ServiceAccountClaims claims = ClaimsJson.read(payload);
        if (!issuer.equals(claims.issuer())) {
            throw new InvalidTokenException("token issuer \"" + claims.issuer() + "\" is not \"" + issuer + "\"");
        }
        if (now.isAfter(claims.expiresAt().plus(LEEWAY))) {
            throw new InvalidTokenException("service account token has expired");
        }
        if (now.plus(LEEWAY).isBefore(claims.notBefore())) {
            throw new InvalidTokenException("service account token is not valid yet");
        }
        if (now.plus(LEEWAY).isBefore(claims.issuedAt())) {
            throw new InvalidTokenException("service account token was issued in the future");
        }
        if (claims.audiences().stream().noneMatch(audiences::contains)) {
            throw new InvalidTokenException("token audiences " + goQuoted(claims.audiences())
                    + " is invalid for the target audiences " + goQuoted(audiences));
        }
        return claims;
    }

    private JsonNode verifiedPayload(String token) throws InvalidTokenException {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                    AlgorithmIdentifiers.RSA_USING_SHA256));
            jws.setCompactSerialization(token);
            String keyId = jws.getKeyIdHeaderValue();
            Collection<PublicKey> candidates = keyId != null && keysById.containsKey(keyId)
                    ? List.of(keysById.get(keyId)) : keysById.values();
            for (PublicKey key : candidates) {
                jws.setKey(key);
                if (jws.verifySignature()) {
                    return Json.mapper().readTree(jws.getUnverifiedPayloadBytes());
                }
            }
            throw new InvalidTokenException("token signature is invalid");
        } catch (JoseException | IOException | IllegalArgumentException e) {
            throw new InvalidTokenException("malformed token: " + e.getMessage());
        }
    }

    /** A string list as Go's %q prints it: {@code ["a" "b"]}. */
    private static String goQuoted(Collection<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(" ", "[", "]"));
    }
}
