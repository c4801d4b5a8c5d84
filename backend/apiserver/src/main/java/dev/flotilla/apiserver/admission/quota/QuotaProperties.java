package dev.flotilla.apiserver.admission.quota;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * ResourceQuota admission's evaluator ({@code flotilla.apiserver.resource-quota.*}): how many
 * workers charge batches at once (upstream's quota admission runs 5; here 16, as a quota write can
 * take 100 ms on a loaded host and creates over many tenants make small batches), how many waiting
 * creates of one namespace (or tenant) one write charges at most, how often a batch whose write lost a
 * compare-and-swap is re-read and re-checked (upstream: 3 retries), and how long a create waits for
 * its answer before a 500 "resource quota evaluation timed out" (upstream: 10 s).
 */
@ConfigurationProperties("flotilla.apiserver.resource-quota")
public class QuotaProperties {

    private int workers = 16;
    private int maxBatch = 256;
    private int retries = 3;
    private Duration timeout = Duration.ofSeconds(10);

    public int getWorkers() {
        return workers;
    }

    public void setWorkers(int workers) {
        this.workers = atLeast("workers", workers, 1);
    }

    public int getMaxBatch() {
        return maxBatch;
    }

    public void setMaxBatch(int maxBatch) {
        this.maxBatch = atLeast("max-batch", maxBatch, 1);
    }

    public int getRetries() {
        return retries;
    }

    public void setRetries(int retries) {
        this.retries = atLeast("retries", retries, 0);
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalStateException("flotilla.apiserver.resource-quota.timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
    }

    private static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalStateException("flotilla.apiserver.resource-quota." + name + " must be at least " + min
                    + ": " + value);
        }
        return value;
    }
}
