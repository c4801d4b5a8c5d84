package dev.flotilla.api.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The payloads of JWTs whose signature has been checked, so that a client sending the same token on
 * every request pays for one signature verification per token, not one per request (upstream caches
 * bearer-token authentication results for 10 s for the same reason). Only the signature is
 * remembered: expiry, audience and anything else that depends on the time or on other objects is the
 * caller's to check on every use. Entries live for {@code ttl} at most; a verifier whose keys can
 * change keeps it short.
 */
public final class VerifiedSignatures {

    /** The signature check the cache stands in for. */
    @FunctionalInterface
    public interface Verification {
        JsonNode verifiedPayload(String token) throws InvalidTokenException;
    }

    private final Cache<String, JsonNode> payloads;

    public VerifiedSignatures(long maxTokens, Duration ttl) {
        this.payloads = Caffeine.newBuilder().maximumSize(maxTokens).expireAfterWrite(ttl).build();
    }

    /** The payload of a token verified before, without verifying it again; {@code null} if unknown. */
    public JsonNode known(String token) {
        return payloads.getIfPresent(token);
    }

    /** The token's payload: remembered, or verified now and remembered. A failed check is not remembered. */
    public JsonNode payload(String token, Verification verification) throws InvalidTokenException {
        JsonNode known = payloads.getIfPresent(token);
        if (known != null) {
            return known;
        }
        JsonNode verified = verification.verifiedPayload(token);
        payloads.put(token, verified);
        return verified;
    }
}
