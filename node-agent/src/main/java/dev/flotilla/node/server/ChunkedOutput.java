package dev.flotilla.node.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An HTTP response body written from a blocking thread: what is written is sent as one chunk per
 * flush, and a flush waits until the chunk is on its way, so a slow or gone client stops the writer
 * (an IOException once the connection is closed).
 */
final class ChunkedOutput extends OutputStream {

    private final Channel channel;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    ChunkedOutput(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void write(int b) {
        buffer.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        buffer.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
        if (!channel.isActive()) {
            throw new IOException("the client closed the connection");
        }
        if (buffer.size() == 0) {
            return;
        }
        ChannelFuture sent = channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(buffer.toByteArray())));
        buffer.reset();
        sent.awaitUninterruptibly();
        if (!sent.isSuccess()) {
            throw new IOException("cannot write to the client: " + sent.cause().getMessage(), sent.cause());
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
