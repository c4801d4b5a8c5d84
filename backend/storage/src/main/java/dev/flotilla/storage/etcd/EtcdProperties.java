package dev.flotilla.storage.etcd;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.List;

/**
 * Where etcd is and how long to wait for it. Set as {@code flotilla.etcd.*} properties or
 * {@code FLOTILLA_ETCD_*} environment variables (for example
 * {@code FLOTILLA_ETCD_ENDPOINTS=http://10.0.0.5:2379,http://10.0.0.6:2379}).
 */
@ConfigurationProperties("flotilla.etcd")
public class EtcdProperties {

    private List<String> endpoints = List.of("http://127.0.0.1:12379");
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration healthTimeout = Duration.ofSeconds(2);
    private Duration requestTimeout = Duration.ofSeconds(10);

    public List<String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getHealthTimeout() {
        return healthTimeout;
    }

    public void setHealthTimeout(Duration healthTimeout) {
        this.healthTimeout = healthTimeout;
    }

    /** How long one object-store operation may wait for etcd before it fails as unavailable. */
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }
}
