package dev.flotilla.node.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.bootstrap.BootstrapToken;
import dev.flotilla.api.pki.CertificateAuthority;
import dev.flotilla.api.pki.Kubeconfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterInfoDiscoveryTest {

    @Test
    void readsServerAndCaFromThePublishedKubeconfig() {
        CertificateAuthority ca = CertificateAuthority.create("ca", Duration.ofDays(1));

        TrustedCluster cluster = ClusterInfoDiscovery.parse(Kubeconfig.forClusterInfo("https://10.0.0.1:6443",
                ca.certificate()));

        assertThat(cluster.server()).isEqualTo("https://10.0.0.1:6443");
        assertThat(cluster.ca()).isEqualTo(ca.certificate());
    }

    @Test
    void aKubeconfigWithoutServerOrCaIsRefused() {
        assertThatThrownBy(() -> ClusterInfoDiscovery.parse("apiVersion: v1\nclusters: []\n"))
                .isInstanceOf(JoinException.class).hasMessageContaining("no server or CA");
        assertThatThrownBy(() -> ClusterInfoDiscovery.parse(": : :")).isInstanceOf(JoinException.class);
    }

    @Test
    void aMalformedPinFailsBeforeAnyNetworkCall() {
        assertThatThrownBy(() -> new ClusterInfoDiscovery(line -> { }).discover("https://127.0.0.1:1",
                BootstrapToken.generate(), "abc")).isInstanceOf(JoinException.class)
                .hasMessageContaining("sha256:<64 hex digits>");
    }
}
