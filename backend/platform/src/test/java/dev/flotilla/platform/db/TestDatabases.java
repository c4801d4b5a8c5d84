package dev.flotilla.platform.db;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.PostgresServer;
import java.time.Duration;

/** Settings and migrated pools for the platform tests' databases on a test PostgreSQL. */
public final class TestDatabases {

    private TestDatabases() {
    }

    public static PostgresProperties properties(String jdbcUrl) {
        PostgresProperties props = new PostgresProperties();
        props.setUrl(jdbcUrl);
        props.setUsername(PostgresServer.USER);
        props.setMigrationRetryInterval(Duration.ofMillis(200));
        return props;
    }

    /** A pool on a database brought to the current schema; the caller closes it. */
    public static PlatformDataSource migrated(PostgresProperties props) {
        PlatformDataSource dataSource = new PlatformDataSource(props);
        SchemaMigrator migrator = new SchemaMigrator(dataSource, props);
        Await.until(Duration.ofSeconds(30), "migration", migrator::migrated);
        migrator.stop();
        return dataSource;
    }
}
