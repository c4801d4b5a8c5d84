package dev.flotilla.storage;

import java.util.Objects;

/**
 * One change under a watched prefix.
 *
 * <ul>
 *   <li>PUT: {@code object} is the new state; {@code previous} the state before it (null when the
 *       key was just created, or when etcd no longer had it). {@link #created()} tells a create
 *       (Kubernetes ADDED) from a modification (MODIFIED).</li>
 *   <li>DELETE: {@code object} is null; {@code previous} is the object's last state (Kubernetes
 *       sends it in the DELETED event), null only if etcd had already compacted it away.</li>
 * </ul>
 *
 * @param revision the etcd revision of this change (for a DELETE, the revision of the delete)
 */
public record WatchEvent(Type type, String key, long revision, StoredObject object, StoredObject previous) {

    public enum Type { PUT, DELETE }

    public WatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        if (type == Type.PUT && object == null) {
            throw new IllegalArgumentException("a PUT event needs the new object");
        }
        if (type == Type.DELETE && object != null) {
            throw new IllegalArgumentException("a DELETE event has no new object");
        }
    }

    /** True for the PUT that created the key (its create revision is this event's revision). */
    public boolean created() {
        return type == Type.PUT && object.createRevision() == object.modRevision();
    }
}
