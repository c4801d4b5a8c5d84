package dev.flotilla.storage;

/**
 * A storage operation failed. Unchecked, because every caller (the resource API) maps these to
 * Kubernetes {@code Status} responses in one place rather than at each call.
 *
 * <p>The family is closed so that mapping can be complete: {@link KeyExistsException} (409
 * AlreadyExists), {@link NotFoundException} (404), {@link ConflictException} (409 Conflict),
 * {@link CompactedException} (410 Gone), {@link StorageUnavailableException} (503/504). This class
 * itself stands for anything else etcd rejected (500).
 */
public sealed class StorageException extends RuntimeException
        permits KeyExistsException, NotFoundException, ConflictException, CompactedException,
        StorageUnavailableException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
