package dev.flotilla.apiserver.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;

/**
 * The client's connection as a {@link ConnectionTakeover} sees it: the channel to write HTTP
 * messages to (the pipeline still encodes them), a way to answer with an ordinary response, and the
 * switch to raw bytes after a protocol upgrade.
 */
public final class ClientConnection {

    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;

    ClientConnection(ChannelHandlerContext ctx, boolean keepAlive) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
    }

    public Channel channel() {
        return ctx.channel();
    }

    /** Whether the connection stays open for another request once this answer is complete. */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** Answers with an ordinary (non-streamed) response, such as an error {@code Status}. */
    public void respond(ApiResponse response) {
        var out = HttpResponses.toNetty(response, ctx.alloc(), keepAlive);
        if (keepAlive) {
            ctx.channel().writeAndFlush(out);
        } else {
            ctx.channel().writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * After a protocol upgrade (a 101 the caller has already written): takes the HTTP codec, body
     * aggregation and request handling out of the pipeline, so that bytes the client sends from now
     * on reach {@code relay} as they are. Must run on the channel's event loop, so no byte read in
     * between is decoded as HTTP.
     */
    public void switchToRawBytes(ChannelHandler relay) {
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addLast("relay", relay);
        for (String name : new String[] {"api", "body", "keepalive", "http"}) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
    }

    /** Registers how to end this connection's stream when the server shuts down. */
    public void onShutdown(Runnable close) {
        OpenStreams.register(ctx.channel(), close);
    }

    /** The stream is over and the connection may serve further requests: nothing to end on shutdown. */
    public void streamEnded() {
        OpenStreams.register(ctx.channel(), (Runnable) null);
    }
}
