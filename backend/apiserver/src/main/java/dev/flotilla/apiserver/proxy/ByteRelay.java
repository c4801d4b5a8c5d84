package dev.flotilla.apiserver.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;

/**
 * One direction of an upgraded connection: bytes read on this channel are written to the peer as
 * they are. It reads again only once the peer has taken the last write (back-pressure: a slow
 * reader stops the fast writer instead of filling memory); the end of input is passed on as a
 * half-close; when either channel closes, the other is closed after what was written is flushed.
 */
final class ByteRelay extends ChannelInboundHandlerAdapter {

    private final Channel peer;

    ByteRelay(Channel peer) {
        this.peer = peer;
    }

    /** Starts reading from {@code channel} under this relay's pacing. */
    static void start(Channel channel) {
        channel.config().setAutoRead(false);
        channel.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!peer.isActive()) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        peer.writeAndFlush(msg).addListener(written -> {
            if (written.isSuccess()) {
                ctx.channel().read();
            } else {
                ctx.close();
                peer.close();
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent || event instanceof SslCloseCompletionEvent) {
            halfClose(peer);
            if (outputEnded(ctx.channel())) {
                // Both directions are finished.
                ctx.close();
                closeAfterFlush(peer);
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeAfterFlush(peer);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
        closeAfterFlush(peer);
    }

    /** Tells the peer no more bytes come from this side, while bytes can still flow the other way. */
    private static void halfClose(Channel peer) {
        if (!peer.isActive()) {
            return;
        }
        SslHandler tls = peer.pipeline().get(SslHandler.class);
        if (tls != null) {
            tls.closeOutbound();
        } else if (peer instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        } else {
            closeAfterFlush(peer);
        }
    }

    private static boolean outputEnded(Channel channel) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls != null) {
            return tls.engine().isOutboundDone();
        }
        return channel instanceof DuplexChannel duplex && duplex.isOutputShutdown();
    }

    static void closeAfterFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
