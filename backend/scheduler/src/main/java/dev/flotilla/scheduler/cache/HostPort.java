package dev.flotilla.scheduler.cache;

/** A host port a pod asks for; {@code 0.0.0.0} stands for every address. */
public record HostPort(String ip, String protocol, int port) {

    public static final String ANY_IP = "0.0.0.0";

    /** Two uses of a host port clash on the same protocol and port when either covers the other's address. */
    public boolean conflictsWith(HostPort other) {
        return port == other.port && protocol.equals(other.protocol)
                && (ip.equals(other.ip) || ip.equals(ANY_IP) || other.ip.equals(ANY_IP));
    }
}
