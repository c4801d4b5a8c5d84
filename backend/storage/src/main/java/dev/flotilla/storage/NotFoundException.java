package dev.flotilla.storage;

/** An update or delete named a key that does not exist. */
public final class NotFoundException extends StorageException {

    private final String key;

    public NotFoundException(String key) {
        super("key " + key + " not found");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
