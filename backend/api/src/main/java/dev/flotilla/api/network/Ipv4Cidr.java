package dev.flotilla.api.network;

/**
 * An IPv4 network in CIDR notation ({@code 10.244.0.0/16}), always held by its network address:
 * parsing {@code 10.244.3.7/16} is an error rather than a silent rounding, so a block name derived
 * from a CIDR can only ever name one network.
 */
public record Ipv4Cidr(long network, int prefixLength) {

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not between 0 and 32");
        }
        if (network < 0 || network > 0xFFFFFFFFL || (network & ~mask(prefixLength) & 0xFFFFFFFFL) != 0) {
            throw new IllegalArgumentException(Ipv4.format(network) + "/" + prefixLength + " is not a network address");
        }
    }

    /** Parses {@code a.b.c.d/n}; the address must be the network's first one. */
    public static Ipv4Cidr parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 CIDR such as 10.244.0.0/16");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 CIDR such as 10.244.0.0/16");
        }
        return new Ipv4Cidr(Ipv4.parse(text.substring(0, slash)), prefix);
    }

    private static long mask(int prefixLength) {
        return prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
    }

    /** How many addresses the network spans, network and broadcast address included. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** The address {@code offset} places after the network address. */
    public long address(long offset) {
        if (offset < 0 || offset >= size()) {
            throw new IllegalArgumentException("offset " + offset + " is outside " + this);
        }
        return network + offset;
    }

    public long lastAddress() {
        return network + size() - 1;
    }

    public boolean contains(long address) {
        return address >= network && address <= lastAddress();
    }

    public boolean contains(Ipv4Cidr other) {
        return other.prefixLength >= prefixLength && contains(other.network);
    }

    public boolean overlaps(Ipv4Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** How many networks of {@code blockPrefix} this one splits into. */
    public long blockCount(int blockPrefix) {
        if (blockPrefix < prefixLength || blockPrefix > 32) {
            throw new IllegalArgumentException("a /" + blockPrefix + " block does not fit in " + this);
        }
        return 1L << (blockPrefix - prefixLength);
    }

    /** The {@code index}th network of {@code blockPrefix} inside this one. */
    public Ipv4Cidr block(int blockPrefix, long index) {
        if (index < 0 || index >= blockCount(blockPrefix)) {
            throw new IllegalArgumentException("block " + index + " is outside " + this);
        }
        return new Ipv4Cidr(network + index * (1L << (32 - blockPrefix)), blockPrefix);
    }

    @Override
    public String toString() {
        return Ipv4.format(network) + "/" + prefixLength;
    }
}
