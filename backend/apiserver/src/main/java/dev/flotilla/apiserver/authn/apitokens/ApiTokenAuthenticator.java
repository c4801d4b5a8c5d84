package dev.flotilla.apiserver.authn.apitokens;

import dev.flotilla.api.auth.ApiTokenScope;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.token.InvalidTokenException;
import dev.flotilla.apiserver.authn.TokenAuthentication;
import dev.flotilla.apiserver.authn.TokenAuthenticator;
import dev.flotilla.platform.tokens.ApiToken;
import dev.flotilla.platform.tokens.ApiTokenSecrets;
import dev.flotilla.platform.tokens.ApiTokenStore;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Platform API tokens ({@code flt_...}): the prefix finds the row, the secret must match its salted
 * hash, and the token must be neither revoked nor expired. Rows are cached for {@link #CACHE_FOR}
 * so that a revocation on any server takes effect within a second. While PostgreSQL is unreachable
 * these tokens fail closed (401, the reason logged); other kinds of authentication go on working.
 */
@Singleton
public class ApiTokenAuthenticator implements TokenAuthenticator {

    static final Duration CACHE_FOR = Duration.ofMillis(500);
    private static final int MAX_CACHED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(ApiTokenAuthenticator.class);

    private final ApiTokenStore store;
    private final ApiTokenLastUse lastUse;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile boolean unavailable;

    private record Cached(Optional<ApiTokenStore.Stored> row, Instant fetchedAt) {
    }

    public ApiTokenAuthenticator(ApiTokenStore store, ApiTokenLastUse lastUse) {
        this(store, lastUse, Clock.systemUTC());
    }

    ApiTokenAuthenticator(ApiTokenStore store, ApiTokenLastUse lastUse, Clock clock) {
        this.store = store;
        this.lastUse = lastUse;
        this.clock = clock;
    }

    @Override
    public Optional<TokenAuthentication> authenticate(String token, List<String> audiences)
            throws InvalidTokenException {
        if (!token.startsWith(ApiTokenSecrets.MARK)) {
            return Optional.empty();
        }
        ApiTokenSecrets.Parts parts = ApiTokenSecrets.parse(token)
                .orElseThrow(() -> new InvalidTokenException("malformed API token"));
        Instant now = clock.instant();
        ApiTokenStore.Stored stored = row(parts.prefix(), now)
                .filter(row -> ApiTokenSecrets.matches(row.salt(), row.secretHash(), parts.secret()))
                .orElseThrow(() -> new InvalidTokenException("unknown API token"));
        ApiToken apiToken = stored.token();
        if (apiToken.revokedAt() != null) {
            throw new InvalidTokenException("API token has been revoked");
        }
        if (!apiToken.usableAt(now)) {
            throw new InvalidTokenException("API token has expired");
        }
        lastUse.used(apiToken.id(), now);
        return Optional.of(new TokenAuthentication(userOf(apiToken), audiences));
    }

    /** Drops a cached row at once, for revocations made through this server. */
    public void forget(String prefix) {
        cache.remove(prefix);
    }

    private Optional<ApiTokenStore.Stored> row(String prefix, Instant now) throws InvalidTokenException {
        Cached cached = cache.get(prefix);
        if (cached != null && cached.fetchedAt().plus(CACHE_FOR).isAfter(now)) {
            return cached.row();
        }
        try {
            Optional<ApiTokenStore.Stored> row = store.find(prefix);
            if (unavailable) {
                LOG.info("API token authentication available again");
                unavailable = false;
            }
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(prefix, new Cached(row, now));
            return row;
        } catch (SQLException | RuntimeException e) {
            if (!unavailable) {
                LOG.warn("API token authentication unavailable, refusing API tokens (401) until PostgreSQL answers: {}",
                        e.getMessage());
                unavailable = true;
            }
            throw new InvalidTokenException("API token authentication is unavailable: PostgreSQL is unreachable");
        }
    }

    private static UserInfo userOf(ApiToken token) {
        List<String> groups = new ArrayList<>(token.ownerGroups());
        if (!groups.contains(UserInfo.AUTHENTICATED_GROUP)) {
            groups.add(UserInfo.AUTHENTICATED_GROUP);
        }
        return new UserInfo(token.owner(), "", groups,
                new ApiTokenScope(token.namespace(), token.readOnly()).extra(token.name()));
    }
}
