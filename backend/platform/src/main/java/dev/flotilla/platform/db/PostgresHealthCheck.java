package dev.flotilla.platform.db;

import dev.flotilla.api.health.Causes;
import dev.flotilla.api.health.HealthCheck;
import dev.flotilla.api.health.HealthResult;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Readiness of the platform database: schema migrated, and PostgreSQL answering. The check keeps a
 * connection of its own, outside the pool, and re-dials it at once when it breaks: the pool's
 * reconnect back-off would otherwise hold readiness down for seconds after PostgreSQL is back.
 */
@Singleton
public class PostgresHealthCheck implements HealthCheck, AutoCloseable {

    private static final int VALIDATION_SECONDS = 2;

    private final SchemaMigrator migrator;
    private final PostgresProperties properties;
    private Connection probe;

    public PostgresHealthCheck(SchemaMigrator migrator, PostgresProperties properties) {
        this.migrator = migrator;
        this.properties = properties;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public synchronized HealthResult check() {
        String pending = migrator.pendingReason();
        if (pending != null) {
            return HealthResult.failed(pending);
        }
        try {
            if (probe == null) {
                probe = DriverManager.getConnection(properties.getUrl(), connectionProperties());
            }
            if (probe.isValid(VALIDATION_SECONDS)) {
                return HealthResult.ok();
            }
            close();
            return HealthResult.failed("PostgreSQL at " + properties.describe() + " did not answer within "
                    + VALIDATION_SECONDS + " s");
        } catch (SQLException e) {
            close();
            return HealthResult.failed("PostgreSQL at " + properties.describe() + " is unreachable: "
                    + Causes.rootMessage(e));
        }
    }

    private Properties connectionProperties() {
        Properties props = new Properties();
        props.setProperty("user", properties.getUsername());
        props.setProperty("password", properties.getPassword());
        props.setProperty("connectTimeout", Long.toString(Math.max(1, properties.getConnectTimeout().toSeconds())));
        props.setProperty("socketTimeout", Integer.toString(VALIDATION_SECONDS + 1));
        props.setProperty("ApplicationName", "flotilla-health");
        return props;
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (probe != null) {
            try {
                probe.close();
            } catch (SQLException ignored) {
                // already broken
            }
            probe = null;
        }
    }
}
