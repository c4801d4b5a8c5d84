package dev.flotilla.node.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.network.Ipv4Cidr;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodMasqueradeTest {

    @Test
    void oneChainPerStateDirLeavingMulticastAndEveryPoolAlone() {
        PodMasquerade masquerade = new PodMasquerade(Path.of("/var/lib/flotilla-node"));
        assertThat(masquerade.chain()).startsWith("FLOTILLA-MASQ-").hasSize(22)
                .isEqualTo(new PodMasquerade(Path.of("/var/lib/flotilla-node/")).chain())
                .isNotEqualTo(new PodMasquerade(Path.of("/var/lib/other-node")).chain());
        String chain = masquerade.chain();
        assertThat(masquerade.restoreInput(List.of(Ipv4Cidr.parse("10.244.0.0/16")),
                List.of(Ipv4Cidr.parse("10.244.0.0/16"), Ipv4Cidr.parse("10.250.0.0/24")))).isEqualTo("""
                *nat
                :%1$s - [0:0]
                -A %1$s -d 224.0.0.0/4 -j RETURN
                -A %1$s -d 10.244.0.0/16 -j RETURN
                -A %1$s -d 10.250.0.0/24 -j RETURN
                -A %1$s -s 10.244.0.0/16 -j MASQUERADE
                COMMIT
                """.formatted(chain));
    }
}
