package dev.flotilla.platform.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.platform.db.PlatformDataSource;
import dev.flotilla.platform.db.PostgresProperties;
import dev.flotilla.platform.db.SchemaMigrator;
import dev.flotilla.platform.db.TestDatabases;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.PostgresServer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The api_tokens schema (migration V2) and {@link ApiTokenStore} against a real PostgreSQL. */
class ApiTokenStoreIT {

    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Test
    void aDatabaseAtVersionOneKeepsItsClusterAndGainsTheTokensTable() {
        PostgresProperties props = TestDatabases.properties(postgres.createDatabase("fromv1"));
        try (PlatformDataSource dataSource = new PlatformDataSource(props)) {
            Flyway.configure().dataSource(dataSource.dataSource()).locations("classpath:db/migration").target("1")
                    .load().migrate();
            String clusterId = postgres.psql("fromv1", "SELECT cluster_id FROM cluster_identity").trim();

            SchemaMigrator migrator = new SchemaMigrator(dataSource, props);
            Await.until(Duration.ofSeconds(30), "migration to the latest version", migrator::migrated);
            migrator.stop();

            assertThat(postgres.psql("fromv1", "SELECT cluster_id FROM cluster_identity").trim()).isEqualTo(clusterId);
            assertThat(postgres.psql("fromv1", "SELECT success FROM flyway_schema_history WHERE version = '2'").trim())
                    .isEqualTo("t");
            assertThat(postgres.psql("fromv1", "SELECT count(*) FROM api_tokens").trim()).isEqualTo("0");
        }
    }

    @Test
    void tokensAreCreatedFoundByPrefixListedRevokedAndTheirNamesFreedOnRevocation() throws Exception {
        PostgresProperties props = TestDatabases.properties(postgres.createDatabase("tokens"));
        try (PlatformDataSource dataSource = TestDatabases.migrated(props)) {
            ApiTokenStore store = new ApiTokenStore(dataSource);
            // PostgreSQL keeps microseconds and rounds (not truncates) finer instants.
            Instant expires = Instant.now().truncatedTo(ChronoUnit.MICROS).plus(Duration.ofHours(1));
            ApiTokenStore.Issued issued = store.create("alice", List.of("dev"), "ci", "team", true, expires);

            ApiTokenSecrets.Parts parts = ApiTokenSecrets.parse(issued.value()).orElseThrow();
            ApiTokenStore.Stored stored = store.find(parts.prefix()).orElseThrow();
            assertThat(ApiTokenSecrets.matches(stored.salt(), stored.secretHash(), parts.secret())).isTrue();
            assertThat(ApiTokenSecrets.matches(stored.salt(), stored.secretHash(), parts.secret() + "x")).isFalse();
            assertThat(stored.token().ownerGroups()).containsExactly("dev");
            assertThat(stored.token().namespace()).isEqualTo("team");
            assertThat(stored.token().readOnly()).isTrue();
            assertThat(stored.token().expiresAt()).isEqualTo(expires);
            assertThat(postgres.psql("tokens", "SELECT count(*) FROM api_tokens WHERE position('"
                    + parts.secret() + "' in encode(secret_hash, 'escape')) > 0").trim())
                    .as("the secret itself is not stored").isEqualTo("0");

            assertThatThrownBy(() -> store.create("alice", List.of(), "ci", null, false, expires))
                    .isInstanceOf(ApiTokenStore.NameTakenException.class);
            store.create("bob", List.of(), "ci", null, false, expires);
            assertThat(store.list("alice")).extracting(ApiToken::name).containsExactly("ci");

            Instant used = Instant.now().truncatedTo(ChronoUnit.MICROS);
            store.recordLastUse(Map.of(stored.token().id(), used));
            store.recordLastUse(Map.of(stored.token().id(), used.minusSeconds(60)));
            assertThat(store.list("alice").get(0).lastUsedAt()).as("never moves backwards").isEqualTo(used);

            assertThat(store.revoke("alice", "ci")).isPresent();
            assertThat(store.revoke("alice", "ci")).isEmpty();
            assertThat(store.find(parts.prefix()).orElseThrow().token().revokedAt()).isNotNull();
            assertThat(store.list("alice")).isEmpty();
            assertThat(store.create("alice", List.of(), "ci", null, false, expires).token().name()).isEqualTo("ci");
        }
    }

    @Test
    void theSchemaRefusesExpiriesBeyondAYear() throws SQLException {
        PostgresProperties props = TestDatabases.properties(postgres.createDatabase("expiry"));
        try (PlatformDataSource dataSource = TestDatabases.migrated(props)) {
            ApiTokenStore store = new ApiTokenStore(dataSource);
            assertThatThrownBy(() -> store.create("alice", List.of(), "forever", null, false,
                    Instant.now().plus(Duration.ofDays(367))))
                    .isInstanceOf(SQLException.class).hasMessageContaining("api_tokens_expiry_within_a_year");
        }
    }
}
