package dev.flotilla.storage.cache;

import dev.flotilla.storage.StoredObject;
import java.util.function.Function;

/**
 * One object as the watch cache holds it, with the form it is served in kept next to it: the first
 * reader that needs that form computes it, later readers of the same object version share it, and
 * it goes away with the version (a change replaces the whole entry).
 */
public final class CachedObject {

    private final StoredObject stored;
    /** Written at most once per value; a race only computes the same bytes twice. */
    private volatile byte[] encoded;

    public CachedObject(StoredObject stored) {
        this.stored = stored;
    }

    public StoredObject stored() {
        return stored;
    }

    /**
     * The object as {@code encoder} turns it into bytes for clients, encoded once per version.
     * Every caller must pass an encoder giving the same result (there is one wire form); the
     * returned array is shared, so it is read-only.
     */
    public byte[] encoded(Function<StoredObject, byte[]> encoder) {
        byte[] known = encoded;
        if (known == null) {
            known = encoder.apply(stored);
            encoded = known;
        }
        return known;
    }
}
