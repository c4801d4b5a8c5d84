package dev.flotilla.apiserver.audit;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The audit log ({@code flotilla.audit.*}, or {@code FLOTILLA_AUDIT_*}): whether requests are
 * audited, the in-memory buffer between requests and the database writer, the batch size, how long
 * events are kept and how often old ones are deleted, and how often a spool waiting for PostgreSQL
 * is retried.
 */
@ConfigurationProperties("flotilla.audit")
public class AuditProperties {

    private boolean enabled = true;
    private int bufferSize = 10_000;
    private int batchSize = 500;
    private Duration retention = Duration.ofDays(90);
    private Duration retentionInterval = Duration.ofHours(1);
    private Duration retryInterval = Duration.ofSeconds(1);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getBufferSize() {
        return bufferSize;
    }

    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public Duration getRetentionInterval() {
        return retentionInterval;
    }

    public void setRetentionInterval(Duration retentionInterval) {
        this.retentionInterval = retentionInterval;
    }

    public Duration getRetryInterval() {
        return retryInterval;
    }

    public void setRetryInterval(Duration retryInterval) {
        this.retryInterval = retryInterval;
    }
}
