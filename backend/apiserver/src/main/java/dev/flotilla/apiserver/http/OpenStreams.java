package dev.flotilla.apiserver.http;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Marks the connections that carry a streamed response (watches), so that a server shutting down
 * can end each stream properly (last chunk, or a WebSocket close frame) and clients resume from
 * where they were instead of seeing a broken connection.
 */
final class OpenStreams {

    static final AttributeKey<ResponseStream> STREAM = AttributeKey.valueOf("flotilla.stream");

    private OpenStreams() {
    }

    static void register(Channel channel, ResponseStream stream) {
        channel.attr(STREAM).set(stream);
        stream.onClose(() -> channel.attr(STREAM).compareAndSet(stream, null));
    }

    static void closeAll(Iterable<Channel> channels) {
        for (Channel channel : channels) {
            ResponseStream stream = channel.attr(STREAM).get();
            if (stream != null) {
                stream.close();
            }
        }
    }
}
