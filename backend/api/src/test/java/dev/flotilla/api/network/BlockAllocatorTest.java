package dev.flotilla.api.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockAllocatorTest {

    @Test
    void splitsThePoolIntoBlocksNamedAfterTheirCidr() {
        Ipv4Cidr pool = Ipv4Cidr.parse("10.244.0.0/16");
        assertThat(pool.blockCount(26)).isEqualTo(1024);
        assertThat(pool.block(26, 0)).hasToString("10.244.0.0/26");
        assertThat(pool.block(26, 5)).hasToString("10.244.1.64/26");
        assertThat(pool.block(26, 1023)).hasToString("10.244.255.192/26");
        assertThat(PodNetworkApi.blockName(pool.block(26, 5))).isEqualTo("10-244-1-64-26");
        assertThat(pool.contains(pool.block(26, 7))).isTrue();
        assertThat(Ipv4Cidr.parse("10.245.0.0/26").overlaps(pool)).isFalse();
    }

    @Test
    void rejectsWhatIsNotANetworkAddress() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.3.7/16")).hasMessageContaining("not a network address");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.0")).hasMessageContaining("not an IPv4 CIDR");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.256.0.0/16")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.0/33")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> new BlockAllocator(Ipv4Cidr.parse("10.244.0.0/27"), 26))
                .hasMessageContaining("does not fit");
    }

    @Test
    void nextFreeSkipsTakenBlocksAndWrapsAround() {
        BlockAllocator allocator = new BlockAllocator(Ipv4Cidr.parse("10.0.0.0/24"), 26);
        Set<Ipv4Cidr> taken = new HashSet<>();
        taken.add(Ipv4Cidr.parse("10.0.0.192/26"));
        taken.add(Ipv4Cidr.parse("10.0.0.0/26"));
        assertThat(allocator.nextFree(taken, 3)).contains(Ipv4Cidr.parse("10.0.0.64/26"));
        taken.add(Ipv4Cidr.parse("10.0.0.64/26"));
        taken.add(Ipv4Cidr.parse("10.0.0.128/26"));
        assertThat(allocator.nextFree(taken, 0)).isEmpty();
        assertThat(allocator.startFor("node-a")).isBetween(0L, 3L);
    }
}
