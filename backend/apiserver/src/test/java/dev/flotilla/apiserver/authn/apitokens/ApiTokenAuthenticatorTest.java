package dev.flotilla.apiserver.authn.apitokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.token.InvalidTokenException;
import dev.flotilla.platform.tokens.ApiToken;
import dev.flotilla.platform.tokens.ApiTokenSecrets;
import dev.flotilla.platform.tokens.ApiTokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiTokenAuthenticatorTest {

    private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");

    private final ApiTokenSecrets.Parts parts = ApiTokenSecrets.generate();
    private final byte[] salt = ApiTokenSecrets.salt();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile Instant revokedAt;
    private volatile boolean down;
    private final MutableClock clock = new MutableClock();
    private final List<Runnable> background = new ArrayList<>();

    private final ApiTokenStore store = new ApiTokenStore(null) {
        @Override
        public Optional<Stored> find(String prefix) throws java.sql.SQLException {
            reads.incrementAndGet();
            if (down) {
                throw new java.sql.SQLException("connection refused");
            }
            ApiToken token = new ApiToken(UUID.randomUUID(), parts.prefix(), "alice", List.of("dev"), "laptop", null,
                    false, START, START.plus(Duration.ofDays(1)), null, revokedAt);
            return Optional.of(new Stored(token, salt, ApiTokenSecrets.hash(salt, parts.secret())));
        }

        @Override
        public void recordLastUse(Map<UUID, Instant> uses) {
        }
    };
    private final ApiTokenLastUse lastUse = new ApiTokenLastUse(store);
    private final ApiTokenAuthenticator authenticator = new ApiTokenAuthenticator(store, lastUse, clock, background::add);

    @AfterEach
    void stop() {
        lastUse.stop();
    }

    @Test
    void aFreshRowIsUsedAsReadAnOlderOneWhileOneBackgroundReadRefreshesIt() throws Exception {
        authenticate();
        assertThat(reads).hasValue(1);
        clock.advance(Duration.ofMillis(400));
        authenticate();
        assertThat(reads).hasValue(1);
        assertThat(background).isEmpty();

        clock.advance(Duration.ofMillis(200));
        authenticate();
        authenticate();
        assertThat(reads).as("the request did not wait for PostgreSQL").hasValue(1);
        assertThat(background).as("one refresh for both requests").hasSize(1);
        background.remove(0).run();
        assertThat(reads).hasValue(2);
    }

    @Test
    void aRevocationElsewhereIsSeenWithinASecondEvenWithoutTheBackgroundRead() throws Exception {
        authenticate();
        revokedAt = START;
        clock.advance(Duration.ofMillis(600));
        authenticate(); // still the cached row; its refresh is queued but never runs here
        clock.advance(Duration.ofMillis(350));
        assertThatThrownBy(this::authenticate).isInstanceOf(InvalidTokenException.class).hasMessageContaining("revoked");
    }

    @Test
    void aStaleRowFailsClosedWhilePostgresIsDown() throws Exception {
        authenticate();
        down = true;
        clock.advance(Duration.ofMillis(600));
        authenticate();
        background.remove(0).run();
        clock.advance(Duration.ofMillis(400));
        assertThatThrownBy(this::authenticate).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("PostgreSQL is unreachable");
        down = false;
        assertThat(authenticate()).isEqualTo("alice");
    }

    private String authenticate() throws InvalidTokenException {
        return authenticator.authenticate(parts.token(), List.of()).orElseThrow().user().name();
    }

    private static final class MutableClock extends Clock {
        private volatile Instant now = START;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
