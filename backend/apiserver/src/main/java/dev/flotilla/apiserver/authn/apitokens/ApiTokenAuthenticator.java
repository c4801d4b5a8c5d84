package dev.flotilla.apiserver.authn.apitokens;

import dev.flotilla.api.auth.ApiTokenScope;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.token.InvalidTokenException;
import dev.flotilla.apiserver.authn.TokenAuthentication;
import dev.flotilla.apiserver.authn.TokenAuthenticator;
import dev.flotilla.platform.tokens.ApiToken;
import dev.flotilla.platform.tokens.ApiTokenSecrets;
import dev.flotilla.platform.tokens.ApiTokenStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Platform API tokens ({@code flt_...}): the prefix finds the row, the secret must match its salted
 * hash, and the token must be neither revoked nor expired. A row is used as read for
 * {@link #CACHE_FOR}; until {@link #STALE_AFTER} it is still used while one background read
 * refreshes it, so a steadily used token does not make requests wait for PostgreSQL, and a
 * revocation on any server takes effect within a second. Older rows are read again on the
 * request's thread. While PostgreSQL is unreachable these tokens fail closed (401, the reason
 * logged) once their row is stale; other kinds of authentication go on working.
 */
@Singleton
public class ApiTokenAuthenticator implements TokenAuthenticator {

    static final Duration CACHE_FOR = Duration.ofMillis(500);
    static final Duration STALE_AFTER = Duration.ofMillis(900);
    private static final int MAX_CACHED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(ApiTokenAuthenticator.class);

    private final ApiTokenStore store;
    private final ApiTokenLastUse lastUse;
    private final Clock clock;
    private final Executor refresher;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private volatile boolean unavailable;

    private record Cached(Optional<ApiTokenStore.Stored> row, Instant fetchedAt) {
    }

    public ApiTokenAuthenticator(ApiTokenStore store, ApiTokenLastUse lastUse) {
        this(store, lastUse, Clock.systemUTC(), Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "api-token-refresh");
            thread.setDaemon(true);
            return thread;
        }));
    }

    ApiTokenAuthenticator(ApiTokenStore store, ApiTokenLastUse lastUse, Clock clock, Executor refresher) {
        this.store = store;
        this.lastUse = lastUse;
        this.clock = clock;
        this.refresher = refresher;
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

    @PreDestroy
    void stop() {
        if (refresher instanceof ExecutorService pool) {
            pool.shutdownNow();
        }
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
        if (cached != null && cached.fetchedAt().plus(STALE_AFTER).isAfter(now)) {
            refreshInBackground(prefix);
            return cached.row();
        }
        return fetch(prefix, now);
    }

    /** One read at a time per token; a failed one leaves the row to go stale (then 401 if PostgreSQL is still down). */
    private void refreshInBackground(String prefix) {
        if (!refreshing.add(prefix)) {
            return;
        }
        try {
            refresher.execute(() -> {
                try {
                    fetch(prefix, clock.instant());
                } catch (InvalidTokenException unavailable) {
                    // logged by fetch; the request that finds the row stale reads again
                } finally {
                    refreshing.remove(prefix);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            refreshing.remove(prefix);
        }
    }

    private Optional<ApiTokenStore.Stored> fetch(String prefix, Instant now) throws InvalidTokenException {
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
