package dev.flotilla.node.network;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.network.Ipv4;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes the CNI configuration list containerd's CRI uses for pods ({@code 10-flotilla.conflist} in
 * its conf dir): the {@code ptp} plugin (a veth per pod, the pod's address with a /32 host route to
 * it on the node, the node's block address as the pod's gateway; no {@code ipMasq}, the agent's
 * {@link PodMasquerade} masquerades for the whole node), {@code host-local} IPAM handing out addresses
 * of this node's blocks (one range per block, its state under the agent's state dir), and
 * {@code portmap} for hostPort (it returns at once, without iptables, for a pod without port
 * mappings). The file is replaced atomically, and only when its content changes, so containerd never
 * reads half a file.
 */
public final class CniConfigWriter {

    public static final String FILE_NAME = "10-flotilla.conflist";
    public static final String CNI_VERSION = "1.0.0";

    private final Path confDir;
    private final Path ipamDataDir;
    private final String networkName;

    /**
     * @param confDir     containerd's CNI conf dir ({@code /etc/cni/net.d})
     * @param ipamDataDir where host-local records the addresses in use (under the agent's state dir)
     * @param networkName the network's name; host-local keeps its addresses in {@code ipamDataDir/<name>}
     */
    public CniConfigWriter(Path confDir, Path ipamDataDir, String networkName) {
        this.confDir = confDir;
        this.ipamDataDir = ipamDataDir;
        this.networkName = networkName;
    }

    public Path file() {
        return confDir.resolve(FILE_NAME);
    }

    /** Where host-local keeps one file per address in use. */
    public Path addressesInUse() {
        return ipamDataDir.resolve(networkName);
    }

    /** The configuration list for these blocks. */
    public ObjectNode render(List<NodeBlock> blocks) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("the node owns no IPAM block yet");
        }
        ObjectNode list = Json.mapper().createObjectNode();
        list.put("cniVersion", CNI_VERSION);
        list.put("name", networkName);
        ArrayNode plugins = list.putArray("plugins");

        ObjectNode ptp = plugins.addObject();
        ptp.put("type", "ptp");
        ObjectNode ipam = ptp.putObject("ipam");
        ipam.put("type", "host-local");
        ipam.put("dataDir", ipamDataDir.toString());
        // One range set: each pod gets one IPv4 address, from whichever block has one free.
        ArrayNode ranges = ipam.putArray("ranges").addArray();
        for (NodeBlock block : blocks) {
            ObjectNode range = ranges.addObject();
            range.put("subnet", block.poolCidr().toString());
            range.put("rangeStart", Ipv4.format(block.firstPodAddress()));
            range.put("rangeEnd", Ipv4.format(block.lastPodAddress()));
            range.put("gateway", Ipv4.format(block.gateway()));
        }
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");

        ObjectNode portmap = plugins.addObject();
        portmap.put("type", "portmap");
        portmap.putObject("capabilities").put("portMappings", true);
        portmap.put("snat", true);
        return list;
    }

    /** Writes the list for these blocks unless the file already says the same; returns whether it changed. */
    public boolean write(List<NodeBlock> blocks) {
        try {
            byte[] content = Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(render(blocks));
            Path target = file();
            if (Files.exists(target) && java.util.Arrays.equals(Files.readAllBytes(target), content)) {
                return false;
            }
            Files.createDirectories(confDir);
            Files.createDirectories(ipamDataDir);
            // containerd only loads *.conf, *.conflist and *.json, so it never sees the temporary file.
            Path temporary = Files.createTempFile(confDir, "." + FILE_NAME, ".tmp");
            try {
                Files.write(temporary, content);
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CNI configuration to " + confDir, e);
        }
    }
}
