package dev.flotilla.storage;

/**
 * Receives a watch's events, one call at a time, in revision order. Calls come from etcd client
 * threads and the store's watch thread: return quickly and hand slow work elsewhere.
 */
public interface WatchListener {

    /** The next change. Never a revision twice, never one skipped. */
    void onEvent(WatchEvent event);

    /**
     * The watch has ended and delivers nothing more: {@link CompactedException} when the history it
     * needed is gone (relist and watch again from the list's revision), or another
     * {@link StorageException} for errors etcd will not get over by itself. Not called when the
     * caller closes the watch.
     */
    void onError(StorageException error);

    /**
     * Every change up to {@code revision} has been delivered: etcd said so in a progress
     * notification. Lets a consumer whose keys are idle still know how current it is.
     */
    default void onProgress(long revision) {
    }
}
