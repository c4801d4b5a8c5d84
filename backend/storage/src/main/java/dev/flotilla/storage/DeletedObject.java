package dev.flotilla.storage;

import java.util.Objects;

/**
 * The result of a delete: the object's last state (what Kubernetes returns and sends in the DELETED
 * watch event) and the revision of the delete itself (the resourceVersion that event carries).
 */
public record DeletedObject(StoredObject lastState, long deletedAtRevision) {

    public DeletedObject {
        Objects.requireNonNull(lastState, "lastState");
    }
}
