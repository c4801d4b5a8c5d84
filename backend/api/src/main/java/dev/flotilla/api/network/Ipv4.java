package dev.flotilla.api.network;

/** Dotted-quad IPv4 addresses as unsigned 32-bit values in a long. */
public final class Ipv4 {

    private Ipv4() {
    }

    /** Parses {@code a.b.c.d} strictly: four decimal parts of 0-255, no host names, no lookups. */
    public static long parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    /** Whether {@code text} is a dotted-quad IPv4 address ({@link #parse} would accept it). */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static String format(long address) {
        return ((address >> 24) & 0xFF) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "."
                + (address & 0xFF);
    }
}
