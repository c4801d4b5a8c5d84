package dev.flotilla.storage;

/**
 * etcd could not be reached or did not answer in time. For a write the outcome is unknown: the
 * write may or may not have been applied, so callers re-read before deciding anything.
 */
public final class StorageUnavailableException extends StorageException {

    public StorageUnavailableException(String message) {
        super(message);
    }

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
