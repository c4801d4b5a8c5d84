package dev.flotilla.node.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Hands a caller's upgrade request (exec, attach, port-forward) to the runtime's streaming server at
 * the URL CRI gave for the session, and from then on copies bytes both ways unchanged: the runtime's
 * answer (101 and its protocol — SPDY or WebSocket — or a refusal the client falls back from)
 * reaches the caller as it is. Either side closing closes the other.
 */
final class StreamRelay {

    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private StreamRelay() {
    }

    /**
     * Must run on the caller's event loop. {@code leaveHttp} removes the caller's HTTP handlers once
     * the runtime is connected; {@code refuse} answers the caller when it cannot be reached.
     */
    static void start(Channel caller, HttpRequest request, URI target, Runnable leaveHttp,
                      BiConsumer<Integer, String> refuse) {
        caller.config().setAutoRead(false);
        int port = target.getPort() > 0 ? target.getPort() : 80;
        new Bootstrap().group(caller.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel runtime) {
                        runtime.pipeline().addLast(new Copy(caller));
                    }
                })
                .connect(target.getHost(), port).addListener((ChannelFuture connected) -> {
                    if (!connected.isSuccess()) {
                        caller.config().setAutoRead(true);
                        refuse.accept(502, "cannot reach the container runtime's streaming server: "
                                + connected.cause().getMessage());
                        return;
                    }
                    Channel runtime = connected.channel();
                    runtime.writeAndFlush(Unpooled.copiedBuffer(head(request, target, port), StandardCharsets.ISO_8859_1));
                    caller.pipeline().addLast(new Copy(runtime));
                    leaveHttp.run();
                    caller.config().setAutoRead(true);
                });
    }

    /** The request line and headers as the runtime expects them: its path (the session token) and Host. */
    private static String head(HttpRequest request, URI target, int port) {
        String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        StringBuilder head = new StringBuilder(request.method().name()).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(target.getHost()).append(':').append(port).append("\r\n");
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey();
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")
                    && !name.equalsIgnoreCase("Transfer-Encoding")) {
                head.append(name).append(": ").append(header.getValue()).append("\r\n");
            }
        }
        return head.append("\r\n").toString();
    }

    /** Copies what one side reads to the other, pausing reads while the other cannot keep up. */
    private static final class Copy extends ChannelInboundHandlerAdapter {

        private final Channel other;

        Copy(Channel other) {
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            other.writeAndFlush(msg).addListener((ChannelFuture written) -> {
                if (!written.isSuccess()) {
                    ctx.channel().close();
                } else if (!ctx.channel().config().isAutoRead()) {
                    ctx.channel().config().setAutoRead(true);
                }
            });
            if (!other.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
