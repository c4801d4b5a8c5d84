package dev.flotilla.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaMigratorIT {

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
    void emptyDatabaseIsMigratedAndGetsAClusterIdentity() {
        PostgresProperties props = properties(postgres.createDatabase("fresh"));
        try (PlatformDataSource dataSource = new PlatformDataSource(props)) {
            SchemaMigrator migrator = new SchemaMigrator(dataSource, props);
            Await.until(Duration.ofSeconds(30), "migration", migrator::migrated);

            assertThat(postgres.psql("fresh", "SELECT count(*) FROM cluster_identity").trim()).isEqualTo("1");
            assertThat(postgres.psql("fresh", "SELECT count(*) FROM flyway_schema_history WHERE success").trim())
                    .isEqualTo("4");
            migrator.stop();
        }
    }

    @Test
    void serversStartingTogetherApplyEachMigrationOnce() throws Exception {
        PostgresProperties props = properties(postgres.createDatabase("together"));
        int servers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        List<PlatformDataSource> dataSources = new ArrayList<>();
        try {
            for (int i = 0; i < servers; i++) {
                PlatformDataSource dataSource = new PlatformDataSource(props);
                dataSources.add(dataSource);
                results.add(pool.submit(() -> {
                    go.await();
                    SchemaMigrator migrator = new SchemaMigrator(dataSource, props);
                    Await.until(Duration.ofSeconds(60), "migration", migrator::migrated);
                    migrator.stop();
                    return true;
                }));
            }
            go.countDown();
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
            dataSources.forEach(PlatformDataSource::close);
        }
        String clusterIds = postgres.psql("together", "SELECT count(DISTINCT cluster_id) FROM cluster_identity");
        assertThat(clusterIds.trim()).isEqualTo("1");
        assertThat(postgres.psql("together", "SELECT count(*) FROM flyway_schema_history WHERE version = '1'").trim())
                .isEqualTo("1");
    }

    @Test
    void migrationWaitsForPostgresAndCompletesWhenItComesBack() {
        PostgresProperties props = properties(postgres.createDatabase("late"));
        PostgresHealthCheck check;
        postgres.stop();
        try (PlatformDataSource dataSource = new PlatformDataSource(props)) {
            SchemaMigrator migrator = new SchemaMigrator(dataSource, props);
            check = new PostgresHealthCheck(migrator, props);
            Await.until(Duration.ofSeconds(10), "the migrator to report PostgreSQL unreachable",
                    () -> migrator.pendingReason() != null && migrator.pendingReason().contains("waiting for PostgreSQL"));
            assertThat(check.check().healthy()).isFalse();
            assertThat(check.check().reason()).contains("schema migration waiting for PostgreSQL at " + props.describe());

            postgres.startAgain();
            Await.until(Duration.ofSeconds(10), "migration after PostgreSQL returned", migrator::migrated);
            assertThat(check.check().healthy()).isTrue();
            check.close();
            migrator.stop();
        } finally {
            if (!postgres.accepting()) {
                postgres.startAgain();
            }
        }
    }

    @Test
    void healthCheckNamesTheOutageAndRecoversWithinFiveSeconds() {
        PostgresProperties props = properties(postgres.createDatabase("outage"));
        try (PlatformDataSource dataSource = new PlatformDataSource(props)) {
            SchemaMigrator migrator = new SchemaMigrator(dataSource, props);
            Await.until(Duration.ofSeconds(30), "migration", migrator::migrated);
            try (PostgresHealthCheck check = new PostgresHealthCheck(migrator, props)) {
                assertThat(check.check().healthy()).isTrue();

                postgres.stop();
                assertThat(check.check().healthy()).isFalse();
                assertThat(check.check().reason())
                        .isEqualTo("PostgreSQL at " + props.describe() + " is unreachable: Connection refused");

                postgres.startAgain();
                Duration recovery = Await.until(Duration.ofSeconds(5), "PostgreSQL check to pass again",
                        () -> check.check().healthy());
                assertThat(recovery).isLessThan(Duration.ofSeconds(5));
            } finally {
                migrator.stop();
                if (!postgres.accepting()) {
                    postgres.startAgain();
                }
            }
        }
    }

    private static PostgresProperties properties(String jdbcUrl) {
        return TestDatabases.properties(jdbcUrl);
    }
}
