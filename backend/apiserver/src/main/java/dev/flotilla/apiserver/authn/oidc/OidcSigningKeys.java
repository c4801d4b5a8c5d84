package dev.flotilla.apiserver.authn.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.token.InvalidTokenException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's signing keys: its discovery document names the JWKS, fetched on first use and again
 * whenever no known key verifies a token (the issuer rotated its keys), at most once per
 * {@link #MIN_REFRESH_INTERVAL} so that forged tokens cannot make us hammer the issuer.
 */
final class OidcSigningKeys {

    static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(OidcSigningKeys.class);

    private final String issuer;
    private final HttpClient http;
    private final Clock clock;
    private volatile List<JsonWebKey> keys = List.of();
    private Instant lastFetch = Instant.MIN;

    OidcSigningKeys(String issuer, HttpClient http, Clock clock) {
        this.issuer = issuer;
        this.http = http;
        this.clock = clock;
    }

    /** The known keys that may have signed a token with this {@code kid} (every key when it has none). */
    List<JsonWebKey> known(String keyId) {
        return matching(keys, keyId);
    }

    /**
     * The same after asking the issuer again, as go-oidc does when no known key verifies a token:
     * the issuer may have rotated its keys, perhaps keeping their ids.
     */
    List<JsonWebKey> fetched(String keyId) throws InvalidTokenException {
        return matching(refresh(), keyId);
    }

    private static List<JsonWebKey> matching(List<JsonWebKey> keys, String keyId) {
        return keyId == null ? keys : keys.stream().filter(key -> keyId.equals(key.getKeyId())).toList();
    }

    private synchronized List<JsonWebKey> refresh() throws InvalidTokenException {
        Instant now = clock.instant();
        if (lastFetch.plus(MIN_REFRESH_INTERVAL).isAfter(now)) {
            return keys;
        }
        lastFetch = now;
        try {
            JsonNode discovery = Json.mapper().readTree(get(discoveryUrl()));
            String advertised = discovery.path("issuer").asText("");
            if (!issuer.equals(advertised)) {
                throw new InvalidTokenException("oidc: issuer did not match the issuer returned by provider, expected \""
                        + issuer + "\" got \"" + advertised + "\"");
            }
            String jwksUri = discovery.path("jwks_uri").asText("");
            if (jwksUri.isEmpty()) {
                throw new InvalidTokenException("oidc: provider discovery document has no jwks_uri");
            }
            keys = List.copyOf(new JsonWebKeySet(get(jwksUri)).getJsonWebKeys());
            LOG.info("fetched {} signing keys of OIDC issuer {}", keys.size(), issuer);
            return keys;
        } catch (IOException | JoseException | IllegalArgumentException e) {
            LOG.warn("cannot fetch the signing keys of OIDC issuer {}: {}", issuer, e.toString());
            throw new InvalidTokenException("oidc: cannot fetch the issuer's keys");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidTokenException("oidc: interrupted while fetching the issuer's keys");
        }
    }

    private String discoveryUrl() {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return base + "/.well-known/openid-configuration";
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }
}
