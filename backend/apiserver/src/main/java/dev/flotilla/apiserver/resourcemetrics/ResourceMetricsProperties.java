package dev.flotilla.apiserver.resourcemetrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The built-in metrics-server ({@code flotilla.apiserver.resource-metrics.*}): how often every Ready
 * node's kubelet is scraped, how long one scrape may take, and whether it runs at all.
 */
@ConfigurationProperties("flotilla.apiserver.resource-metrics")
public class ResourceMetricsProperties {

    private boolean enabled = true;
    private Duration scrapeInterval = Duration.ofSeconds(15);
    private Duration scrapeTimeout = Duration.ofSeconds(10);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getScrapeInterval() {
        return scrapeInterval;
    }

    public void setScrapeInterval(Duration scrapeInterval) {
        this.scrapeInterval = scrapeInterval;
    }

    public Duration getScrapeTimeout() {
        return scrapeTimeout;
    }

    public void setScrapeTimeout(Duration scrapeTimeout) {
        this.scrapeTimeout = scrapeTimeout;
    }
}
