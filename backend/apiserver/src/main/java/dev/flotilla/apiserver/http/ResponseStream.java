package dev.flotilla.apiserver.http;

/**
 * The open end of a streamed (chunked) response, such as a watch. Writes may come from any thread.
 * The stream closes when the producer calls {@link #close()} or when the client goes away, after
 * which {@link #onClose} callbacks run once.
 */
public interface ResponseStream {

    /** Sends one chunk and flushes it; ignored once the stream is closed. */
    void write(byte[] chunk);

    boolean isOpen();

    /** Ends the response. */
    void close();

    /** Runs {@code callback} once when the stream closes for any reason (at once if already closed). */
    void onClose(Runnable callback);
}
