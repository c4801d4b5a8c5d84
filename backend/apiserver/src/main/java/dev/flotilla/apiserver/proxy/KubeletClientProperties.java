package dev.flotilla.apiserver.proxy;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.List;

/**
 * How the API server reaches kubelets ({@code flotilla.apiserver.kubelet.*}): which of a node's
 * addresses to dial, in order of preference, the port when the node does not report one, and how
 * long a connection attempt to any backend (kubelet, pod, service endpoint) may take.
 */
@ConfigurationProperties("flotilla.apiserver.kubelet")
public class KubeletClientProperties {

    private List<String> preferredAddressTypes = List.of("InternalIP", "Hostname", "InternalDNS", "ExternalIP",
            "ExternalDNS");
    private int defaultPort = 10250;
    private Duration connectTimeout = Duration.ofSeconds(10);
    /** Whether pods/services/nodes proxy may reach loopback and link-local addresses (off, as upstream). */
    private boolean allowLocalProxyTargets;

    public List<String> getPreferredAddressTypes() {
        return preferredAddressTypes;
    }

    public void setPreferredAddressTypes(List<String> preferredAddressTypes) {
        this.preferredAddressTypes = List.copyOf(preferredAddressTypes);
    }

    public int getDefaultPort() {
        return defaultPort;
    }

    public void setDefaultPort(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public boolean isAllowLocalProxyTargets() {
        return allowLocalProxyTargets;
    }

    public void setAllowLocalProxyTargets(boolean allowLocalProxyTargets) {
        this.allowLocalProxyTargets = allowLocalProxyTargets;
    }
}
