package dev.flotilla.apiserver.strategy;

import dev.flotilla.api.network.Ipv4;
import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.storage.ObjectStore;
import jakarta.inject.Singleton;

/**
 * The Service cluster-IP range and node-port range, configured as
 * {@code flotilla.apiserver.service-cluster-ip-range} (default 10.96.0.0/12; the first address is
 * kept for the {@code kubernetes} service, the network and broadcast addresses are never used) and
 * {@code flotilla.apiserver.service-node-port-range} (default 30000-32767).
 */
@Singleton
public class ServiceAllocations {

    private final RangeAllocator clusterIps;
    private final RangeAllocator nodePorts;
    private final long networkBase;
    private final String range;
    private final String portRange;

    public ServiceAllocations(ObjectStore store, ApiServerProperties properties) {
        this.range = properties.getServiceClusterIpRange();
        this.portRange = properties.getServiceNodePortRange();
        String[] cidr = range.split("/");
        int prefixLength = Integer.parseInt(cidr[1]);
        if (prefixLength < 8 || prefixLength > 30) {
            throw new IllegalArgumentException("service-cluster-ip-range " + range + " must be an IPv4 CIDR between /8 and /30");
        }
        long hostCount = 1L << (32 - prefixLength);
        long mask = (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
        this.networkBase = Ipv4.parse(cidr[0]) & mask;
        // skip .0 (network), .1 (the kubernetes service, claimed by the bootstrap) and the broadcast address
        this.clusterIps = new RangeAllocator(store, "/registry/ranges/serviceips/", networkBase + 2, hostCount - 3);
        String[] ports = portRange.split("-");
        long low = Long.parseLong(ports[0].trim());
        long high = Long.parseLong(ports[1].trim());
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("service-node-port-range " + portRange + " must be LOW-HIGH within 1-65535");
        }
        this.nodePorts = new RangeAllocator(store, "/registry/ranges/servicenodeports/", low, high - low + 1);
    }

    RangeAllocator clusterIps() {
        return clusterIps;
    }

    RangeAllocator nodePorts() {
        return nodePorts;
    }

    String clusterIpRange() {
        return range;
    }

    String nodePortRange() {
        return portRange;
    }

    /** A dotted-quad IPv4 address (no host names: nothing here may cause a lookup). */
    static boolean looksLikeIpv4(String value) {
        try {
            Ipv4.parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
