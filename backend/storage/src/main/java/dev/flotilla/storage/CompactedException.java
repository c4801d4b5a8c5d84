package dev.flotilla.storage;

/**
 * A read or watch asked for a revision etcd has already compacted away, so that history is gone.
 * The caller has to start over from a current list (Kubernetes: 410 Gone, "too old resource
 * version").
 */
public final class CompactedException extends StorageException {

    private final long requestedRevision;
    private final long compactedRevision;

    /**
     * @param requestedRevision the revision the caller asked for
     * @param compactedRevision etcd's compaction revision, or 0 when etcd did not say (range reads
     *                          do not report it; watches do)
     */
    public CompactedException(long requestedRevision, long compactedRevision) {
        super("revision " + requestedRevision + " has been compacted"
                + (compactedRevision > 0 ? " (etcd is compacted up to revision " + compactedRevision + ")" : ""));
        this.requestedRevision = requestedRevision;
        this.compactedRevision = compactedRevision;
    }

    public long requestedRevision() {
        return requestedRevision;
    }

    /** etcd's compaction revision, or 0 when unknown. */
    public long compactedRevision() {
        return compactedRevision;
    }
}
