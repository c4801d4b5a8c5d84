package dev.flotilla.platform.db;

import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.api.health.Causes;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the platform schema up to date with the Flyway migrations in {@code db/} when the server
 * starts, retrying in the background while PostgreSQL is unreachable. Flyway holds a PostgreSQL
 * advisory lock while it migrates, so servers starting together apply each migration exactly once.
 */
@Context
public class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private final Flyway flyway;
    private final PostgresProperties properties;
    private final ScheduledExecutorService retries;
    private final AtomicReference<String> pendingReason = new AtomicReference<>("schema migration has not run yet");

    public SchemaMigrator(PlatformDataSource dataSource, PostgresProperties properties) {
        this.properties = properties;
        this.flyway = Flyway.configure()
                .dataSource(dataSource.dataSource())
                .locations("classpath:db/migration")
                .connectRetries(0)
                .load();
        this.retries = DaemonThreads.scheduler("schema-migrator");
        retries.execute(this::migrateOrRetry);
    }

    /** Empty once the schema is current; otherwise why it is not. */
    public String pendingReason() {
        return pendingReason.get();
    }

    public boolean migrated() {
        return pendingReason.get() == null;
    }

    private void migrateOrRetry() {
        try {
            MigrateResult result = flyway.migrate();
            LOG.info("platform schema at version {} ({} migration(s) applied now)",
                    result.targetSchemaVersion == null ? flyway.info().current().getVersion() : result.targetSchemaVersion,
                    result.migrationsExecuted);
            pendingReason.set(null);
        } catch (RuntimeException e) {
            if (retries.isShutdown()) {
                return;
            }
            String reason = "schema migration waiting for PostgreSQL at " + properties.describe() + ": "
                    + Causes.rootMessage(e);
            if (!reason.equals(pendingReason.getAndSet(reason))) {
                LOG.warn("{} (retrying every {})", reason, properties.getMigrationRetryInterval());
            }
            retries.schedule(this::migrateOrRetry, properties.getMigrationRetryInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }


    @PreDestroy
    public void stop() {
        retries.shutdownNow();
    }
}
