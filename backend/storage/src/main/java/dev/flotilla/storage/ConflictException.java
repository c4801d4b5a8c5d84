package dev.flotilla.storage;

/**
 * A compare-and-swap found another mod revision than the caller expected: someone else changed the
 * object since the caller read it. Carries the current object so the caller can retry (read,
 * modify, write again) without another read.
 */
public final class ConflictException extends StorageException {

    private final long expectedModRevision;
    private final transient StoredObject current;

    public ConflictException(long expectedModRevision, StoredObject current) {
        super("key " + current.key() + " was modified: expected mod revision " + expectedModRevision
                + ", found " + current.modRevision());
        this.expectedModRevision = expectedModRevision;
        this.current = current;
    }

    public long expectedModRevision() {
        return expectedModRevision;
    }

    /** The object as it is stored now. */
    public StoredObject current() {
        return current;
    }
}
