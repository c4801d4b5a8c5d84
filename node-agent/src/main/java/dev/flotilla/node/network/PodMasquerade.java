package dev.flotilla.node.network;

import dev.flotilla.api.network.Ipv4Cidr;
import dev.flotilla.node.runtime.HostCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The node's one masquerade for traffic its pods send out of every pool, as Calico's natOutgoing:
 * a nat chain of its own ({@code FLOTILLA-MASQ-<hash of the agent's state directory>}, so agents
 * sharing a host do not meet, and {@code node-agent reset} finds it), jumped to from POSTROUTING, that leaves multicast and every pool's addresses alone
 * and masquerades what comes from a natOutgoing pool. The agent writes it once, and again when its
 * pools change, instead of ptp's {@code ipMasq} adding a chain and three iptables calls per pod
 * (each waiting on the xtables lock). The chain is replaced atomically with {@code iptables-restore}.
 */
public final class PodMasquerade {

    private static final String MULTICAST = "224.0.0.0/4";
    private static final String COMMENT = "flotilla pod masquerade";

    private final String chain;

    /** {@code stateDir}: the agent's state directory, which names the chain. */
    public PodMasquerade(Path stateDir) {
        this.chain = chainName(stateDir);
    }

    /** {@code FLOTILLA-MASQ-} and 8 hex digits of the state directory's hash (chain names have at most 28 characters). */
    static String chainName(Path stateDir) {
        return "FLOTILLA-MASQ-" + HexFormat.of().toHexDigits(stateDir.toAbsolutePath().normalize().toString().hashCode())
                .toUpperCase();
    }

    public String chain() {
        return chain;
    }

    /**
     * The chain's rules for these pools: {@code masqueraded} are the sources to masquerade
     * (natOutgoing pools the node has blocks in), {@code allPools} the destinations left alone.
     */
    String restoreInput(List<Ipv4Cidr> masqueraded, List<Ipv4Cidr> allPools) {
        StringBuilder in = new StringBuilder("*nat\n:").append(chain).append(" - [0:0]\n");
        in.append("-A ").append(chain).append(" -d ").append(MULTICAST).append(" -j RETURN\n");
        for (Ipv4Cidr pool : allPools) {
            in.append("-A ").append(chain).append(" -d ").append(pool).append(" -j RETURN\n");
        }
        for (Ipv4Cidr pool : masqueraded) {
            in.append("-A ").append(chain).append(" -s ").append(pool).append(" -j MASQUERADE\n");
        }
        return in.append("COMMIT\n").toString();
    }

    /** Replaces the chain's rules and makes sure POSTROUTING jumps to it. */
    public void apply(List<Ipv4Cidr> masqueraded, List<Ipv4Cidr> allPools) {
        run(List.of("iptables-restore", "-w", "5", "--noflush"), restoreInput(masqueraded, allPools));
        if (!succeeds(jump("-C"))) {
            run(jump("-A"), null);
        }
    }

    /** Removes the jump and the chain; nothing to do when they are not there. */
    public void remove() {
        while (succeeds(jump("-D"))) {
            // a jump added twice (two agents of one name racing) goes too
        }
        if (succeeds(List.of("iptables", "-w", "5", "-t", "nat", "-F", chain))) {
            run(List.of("iptables", "-w", "5", "-t", "nat", "-X", chain), null);
        }
    }

    /** The chain's rules as {@code iptables -S} prints them, empty when there is no chain. */
    public String rules() {
        try {
            return run(List.of("iptables", "-w", "5", "-t", "nat", "-S", chain), null);
        } catch (IllegalStateException noChain) {
            return "";
        }
    }

    private List<String> jump(String operation) {
        return List.of("iptables", "-w", "5", "-t", "nat", operation, "POSTROUTING",
                "-m", "comment", "--comment", COMMENT, "-j", chain);
    }

    private static boolean succeeds(List<String> command) {
        try {
            run(command, null);
            return true;
        } catch (IllegalStateException failed) {
            return false;
        }
    }

    private static String run(List<String> command, String input) {
        return HostCommands.output(command, input, Duration.ofSeconds(30));
    }
}
