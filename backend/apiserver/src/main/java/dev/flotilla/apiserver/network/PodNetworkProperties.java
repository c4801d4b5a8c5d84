package dev.flotilla.apiserver.network;

import dev.flotilla.api.network.PodNetworkApi;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The default pod address pool, as {@code flotilla.network.*} properties or
 * {@code FLOTILLA_NETWORK_*} environment variables. Only read when the default IPPool does not exist
 * yet: changing it later does not move addresses pods already have.
 */
@ConfigurationProperties("flotilla.network")
public class PodNetworkProperties {

    /** The default pool's CIDR (kube-controller-manager's --cluster-cidr). */
    private String podCidr = "10.244.0.0/16";
    /** Prefix length of the blocks nodes claim from it. */
    private int blockSize = PodNetworkApi.DEFAULT_BLOCK_SIZE;

    public String getPodCidr() {
        return podCidr;
    }

    public void setPodCidr(String podCidr) {
        this.podCidr = podCidr;
    }

    public int getBlockSize() {
        return blockSize;
    }

    public void setBlockSize(int blockSize) {
        this.blockSize = blockSize;
    }
}
