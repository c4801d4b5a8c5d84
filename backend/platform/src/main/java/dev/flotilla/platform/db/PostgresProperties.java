package dev.flotilla.platform.db;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The platform database: a PostgreSQL URL and credentials, set as {@code flotilla.postgres.*}
 * properties or {@code FLOTILLA_POSTGRES_*} environment variables.
 */
@ConfigurationProperties("flotilla.postgres")
public class PostgresProperties {

    private String url = "jdbc:postgresql://127.0.0.1:15432/flotilla";
    private String username = "postgres";
    private String password = "";
    private int maxPoolSize = 10;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration migrationRetryInterval = Duration.ofSeconds(1);

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public int getMaxPoolSize() {
        return maxPoolSize;
    }

    public void setMaxPoolSize(int maxPoolSize) {
        this.maxPoolSize = maxPoolSize;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getMigrationRetryInterval() {
        return migrationRetryInterval;
    }

    public void setMigrationRetryInterval(Duration migrationRetryInterval) {
        this.migrationRetryInterval = migrationRetryInterval;
    }

    /** The URL without credentials or parameters, safe to log and to show in health output. */
    public String describe() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
