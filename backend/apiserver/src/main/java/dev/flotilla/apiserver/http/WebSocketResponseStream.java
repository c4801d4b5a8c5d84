package dev.flotilla.apiserver.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

/**
 * A streamed response over a WebSocket, as clients such as fabric8 open watches: each chunk the
 * producer writes (one watch event) becomes one binary frame. Upstream serves watches this way
 * alongside chunked HTTP.
 */
final class WebSocketResponseStream implements ResponseStream {

    private final ChannelHandlerContext ctx;
    private final StreamLifecycle lifecycle = new StreamLifecycle();

    private WebSocketResponseStream(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    static boolean isUpgrade(FullHttpRequest request) {
        return "websocket".equalsIgnoreCase(request.headers().get("Upgrade"));
    }

    /** Completes the WebSocket handshake, then lets {@code body} write frames. */
    static void open(ChannelHandlerContext ctx, FullHttpRequest request, ApiResponse response) {
        String location = "wss://" + request.headers().get("Host") + request.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location,
                request.headers().get("Sec-WebSocket-Protocol"), false, 64 * 1024).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        WebSocketResponseStream stream = new WebSocketResponseStream(ctx);
        ctx.channel().closeFuture().addListener(f -> stream.closed());
        handshaker.handshake(ctx.channel(), request).addListener(done -> {
            if (done.isSuccess()) {
                ctx.pipeline().addLast("websocket-control", new WebSocketControlFrames(handshaker));
                OpenStreams.register(ctx.channel(), stream);
                response.stream().start(stream);
            } else {
                ctx.close();
            }
        });
    }

    @Override
    public void write(byte[] chunk) {
        if (lifecycle.isOpen()) {
            ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(chunk)));
        }
    }

    @Override
    public boolean isOpen() {
        return lifecycle.isOpen() && ctx.channel().isActive();
    }

    @Override
    public void close() {
        if (lifecycle.isOpen()) {
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f -> ctx.close());
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
