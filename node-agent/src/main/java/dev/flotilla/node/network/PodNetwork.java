package dev.flotilla.node.network;

import dev.flotilla.api.network.Ipv4;
import dev.flotilla.api.network.Ipv4Cidr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * This node's side of the pod network: on {@link #start} it claims a block (or finds the ones it
 * owns) and writes the CNI configuration for them; {@link #ensureCapacity} claims another block and
 * rewrites the configuration before the addresses run out, so a pod sandbox never fails for want of
 * an address while the pools still have blocks. The kubelet calls it before creating a sandbox.
 * With the configuration it writes the node's one masquerade rule set ({@link PodMasquerade}), so no
 * plugin touches iptables for a pod without hostPorts; {@link #stop} removes it once no pod holds an
 * address (pods left running by a stopped agent keep it; {@code node-agent reset} removes it after them).
 */
public final class PodNetwork {

    private final NodeBlocks blocks;
    private final CniConfigWriter writer;
    private final PodMasquerade masquerade;
    private final int headroom;
    private volatile List<NodeBlock> owned = List.of();

    /** {@code headroom}: claim another block once fewer addresses than this are free. */
    public PodNetwork(NodeBlocks blocks, CniConfigWriter writer, PodMasquerade masquerade, int headroom) {
        this.blocks = blocks;
        this.writer = writer;
        this.masquerade = masquerade;
        this.headroom = headroom;
    }

    public synchronized List<NodeBlock> start() {
        owned = blocks.ensureOne();
        writeConfig();
        return owned;
    }

    /** Removes the node's masquerade rules unless pods still hold addresses; the configuration stays for the next start. */
    public synchronized void stop() {
        if (addressesInUse() == 0) {
            masquerade.remove();
        }
    }

    public List<NodeBlock> blocks() {
        return owned;
    }

    /** Claims a block when fewer than the headroom of addresses are free; returns whether it did. */
    public synchronized boolean ensureCapacity() {
        if (freeAddresses() >= headroom) {
            return false;
        }
        List<NodeBlock> next = new ArrayList<>(owned);
        next.add(blocks.claim());
        owned = List.copyOf(next);
        writeConfig();
        return true;
    }

    /** Addresses of the node's blocks that host-local has not handed out. */
    public long freeAddresses() {
        long total = owned.stream().mapToLong(NodeBlock::podAddressCount).sum();
        return total - addressesInUse();
    }

    /** host-local keeps one file per address in use, named by the address. */
    private long addressesInUse() {
        Path dir = writer.addressesInUse();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(this::inOwnedBlock).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }

    private boolean inOwnedBlock(String fileName) {
        long address;
        try {
            address = Ipv4.parse(fileName);
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
        return owned.stream().anyMatch(b -> address >= b.firstPodAddress() && address <= b.lastPodAddress());
    }

    /** The plugins' configuration, then the masquerade: sources of natOutgoing pools the node has blocks in, leaving every pool. */
    private void writeConfig() {
        writer.write(owned);
        List<NodeBlocks.Pool> pools = blocks.pools();
        List<Ipv4Cidr> masqueraded = pools.stream().filter(NodeBlocks.Pool::natOutgoing)
                .filter(p -> owned.stream().anyMatch(b -> b.pool().equals(p.name())))
                .map(NodeBlocks.Pool::cidr).toList();
        masquerade.apply(masqueraded, pools.stream().map(NodeBlocks.Pool::cidr).toList());
    }
}
