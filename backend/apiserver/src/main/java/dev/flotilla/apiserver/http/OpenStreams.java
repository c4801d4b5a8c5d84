package dev.flotilla.apiserver.http;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Marks the connections that carry a streamed response (watches), so that a server shutting down
 * can end each stream properly (last chunk, or a WebSocket close frame) and clients resume from
 * where they were instead of seeing a broken connection.
 */
final class OpenStreams {

    static final AttributeKey<Runnable> STREAM = AttributeKey.valueOf("flotilla.stream");

    private OpenStreams() {
    }

    static void register(Channel channel, ResponseStream stream) {
        Runnable close = stream::close;
        channel.attr(STREAM).set(close);
        stream.onClose(() -> channel.attr(STREAM).compareAndSet(close, null));
    }

    /** Registers how to end a stream that is not a {@link ResponseStream} (a proxied connection). */
    static void register(Channel channel, Runnable close) {
        channel.attr(STREAM).set(close);
    }

    static void closeAll(Iterable<Channel> channels) {
        for (Channel channel : channels) {
            Runnable close = channel.attr(STREAM).get();
            if (close != null) {
                close.run();
            }
        }
    }
}
