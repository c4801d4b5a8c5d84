package dev.flotilla.storage;

/** A running watch. Closing it stops delivery; it is safe to close more than once or from a listener. */
public interface Watch extends AutoCloseable {

    @Override
    void close();
}
