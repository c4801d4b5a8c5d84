package dev.flotilla.storage;

/** A create found the key already present. Carries what is stored there. */
public final class KeyExistsException extends StorageException {

    private final transient StoredObject existing;

    public KeyExistsException(StoredObject existing) {
        super("key " + existing.key() + " already exists (mod revision " + existing.modRevision() + ")");
        this.existing = existing;
    }

    public String key() {
        return existing.key();
    }

    /** The object stored under the key when the create was refused. */
    public StoredObject existing() {
        return existing;
    }
}
