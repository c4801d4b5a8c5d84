package dev.flotilla.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * One stored object: its key, its value as the caller wrote it (JSON for the resource API) and
 * etcd's revisions for it. {@code modRevision} is the object's {@code resourceVersion};
 * {@code createRevision} tells a create apart from a later modification.
 *
 * <p>The value array is handed over without copying (objects can be large and lists hold many):
 * treat it as read-only.
 */
public record StoredObject(String key, byte[] value, long modRevision, long createRevision) {

    public StoredObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredObject that
                && key.equals(that.key)
                && Arrays.equals(value, that.value)
                && modRevision == that.modRevision
                && createRevision == that.createRevision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), modRevision, createRevision);
    }

    @Override
    public String toString() {
        return "StoredObject[key=" + key + ", " + value.length + " bytes, modRevision=" + modRevision
                + ", createRevision=" + createRevision + "]";
    }
}
