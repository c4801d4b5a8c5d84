package dev.flotilla.apiserver.http;

/**
 * An endpoint's answer that is written on the client connection by the endpoint itself rather than
 * as one body: proxied backend responses and upgraded (exec, attach, port-forward) connections.
 * {@link #start} is called once, off the event loop, and must not block.
 */
@FunctionalInterface
public interface ConnectionTakeover {
    void start(ClientConnection client);
}
