package dev.flotilla.storage.etcd;

/**
 * Checks of an object store's arguments (shared by the etcd and PostgreSQL stores), so a caller's
 * mistake fails at once with a message that names it instead of reaching the database as an odd
 * request (an empty key range, a negative revision).
 */
public final class Arguments {

    private Arguments() {
    }

    public static String key(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be null or empty");
        }
        return key;
    }

    public static String prefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("prefix must not be null or empty (an empty prefix would cover all of etcd)");
        }
        return prefix;
    }

    public static byte[] value(String key, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("value for key " + key + " must not be null");
        }
        return value;
    }

    public static long revision(String name, long revision) {
        if (revision < 0) {
            throw new IllegalArgumentException(name + " must be 0 or positive, got " + revision);
        }
        return revision;
    }

    public static int limit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (no limit) or positive, got " + limit);
        }
        return limit;
    }

    public static String startAfter(String prefix, String startAfterKey) {
        if (startAfterKey != null && !startAfterKey.startsWith(prefix)) {
            throw new IllegalArgumentException("startAfterKey " + startAfterKey + " is not under prefix " + prefix);
        }
        return startAfterKey;
    }

    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
