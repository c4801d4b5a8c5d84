package dev.flotilla.apiserver.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Map;

/** A {@link ResponseStream} over one HTTP/1.1 chunked response on a Netty channel. */
final class ChunkedResponseStream implements ResponseStream {

    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    private final StreamLifecycle lifecycle = new StreamLifecycle();

    private ChunkedResponseStream(ChannelHandlerContext ctx, boolean keepAlive) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
    }

    static void open(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.code()));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            head.headers().set(header.getKey(), header.getValue());
        }
        ChunkedResponseStream stream = new ChunkedResponseStream(ctx, keepAlive);
        ctx.channel().closeFuture().addListener(f -> stream.closed());
        OpenStreams.register(ctx.channel(), stream);
        ctx.writeAndFlush(head);
        response.stream().start(stream);
    }

    @Override
    public void write(byte[] chunk) {
        if (lifecycle.isOpen()) {
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
        }
    }

    @Override
    public boolean isOpen() {
        return lifecycle.isOpen() && ctx.channel().isActive();
    }

    @Override
    public void close() {
        if (lifecycle.isOpen()) {
            var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
                done.addListener(ChannelFutureListener.CLOSE);
            }
        }
        closed();
    }

    @Override
    public void onClose(Runnable callback) {
        lifecycle.onClose(callback);
    }

    private void closed() {
        lifecycle.closed();
    }
}
