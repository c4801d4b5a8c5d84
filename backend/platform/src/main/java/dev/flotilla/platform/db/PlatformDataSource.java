package dev.flotilla.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Pooled connections to the platform database. The pool is created without contacting PostgreSQL,
 * so the control plane starts (and reports the outage) while the database is down.
 */
@Singleton
public class PlatformDataSource implements AutoCloseable {

    private final HikariDataSource pool;

    public PlatformDataSource(PostgresProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("platform-db");
        config.setJdbcUrl(properties.getUrl());
        config.setUsername(properties.getUsername());
        config.setPassword(properties.getPassword());
        config.setMaximumPoolSize(properties.getMaxPoolSize());
        // No idle minimum: Hikari then only dials PostgreSQL for a waiting caller, so its reconnect back-off
        // (growing to 5 s) restarts with every check and recovery after an outage is quick.
        config.setMinimumIdle(0);
        config.setConnectionTimeout(properties.getConnectTimeout().toMillis());
        config.setValidationTimeout(Math.min(properties.getConnectTimeout().toMillis(), 1000));
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", Math.max(1, properties.getConnectTimeout().toSeconds()));
        config.addDataSourceProperty("socketTimeout", 30);
        config.addDataSourceProperty("ApplicationName", "flotilla");
        this.pool = new HikariDataSource(config);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    @PreDestroy
    @Override
    public void close() {
        pool.close();
    }
}
