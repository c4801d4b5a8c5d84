package dev.flotilla.apiserver.http;

/** Produces a streamed response body; {@link #start} returns at once and writes from other threads. */
@FunctionalInterface
public interface StreamingBody {
    void start(ResponseStream stream);
}
