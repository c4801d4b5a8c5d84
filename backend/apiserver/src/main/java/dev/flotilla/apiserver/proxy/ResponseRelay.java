package dev.flotilla.apiserver.proxy;

import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.ClientConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The backend's answer on its way to the client. An ordinary response is passed on piece by piece
 * as it arrives (a followed log is never buffered), reading the next piece only once the client has
 * taken the last. A 101 Switching Protocols is passed on and then both connections leave HTTP: from
 * there {@link ByteRelay}s copy raw bytes each way.
 */
final class ResponseRelay extends ChannelInboundHandlerAdapter {

    private final ClientConnection client;
    private final Channel backend;
    private final String backendAddress;
    private final Runnable finished;
    private HttpResponse switching;
    private boolean headSent;
    private boolean done;

    ResponseRelay(ClientConnection client, Channel backend, String backendAddress, Runnable finished) {
        this.client = client;
        this.backend = backend;
        this.backendAddress = backendAddress;
        this.finished = finished;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse head && head.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            switching = head;
            ReferenceCountUtil.release(msg);
            return;
        }
        if (switching != null) {
            // The (empty) end of the 101 response: the connection now carries the new protocol.
            ReferenceCountUtil.release(msg);
            if (msg instanceof LastHttpContent) {
                upgrade(ctx);
            }
            return;
        }
        if (msg instanceof HttpResponse head) {
            prepareHead(head);
            headSent = true;
        }
        boolean last = msg instanceof LastHttpContent;
        client.channel().writeAndFlush((HttpObject) msg).addListener(written -> {
            if (!written.isSuccess()) {
                backend.close();
            } else if (!last) {
                backend.read();
            }
        });
        if (last) {
            done = true;
            backend.close();
            finished.run();
            if (!client.keepAlive()) {
                client.channel().writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private void prepareHead(HttpResponse head) {
        head.headers().remove(HttpHeaderNames.CONNECTION);
        head.headers().remove("Keep-Alive");
        if (!HttpUtil.isContentLengthSet(head) && !HttpUtil.isTransferEncodingChunked(head)) {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        if (!client.keepAlive()) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    private void upgrade(ChannelHandlerContext ctx) {
        done = true;
        finished.run();
        Channel inbound = client.channel();
        FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS);
        answer.headers().set(switching.headers());
        inbound.writeAndFlush(answer);
        inbound.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        client.switchToRawBytes(new ByteRelay(backend));
        client.onShutdown(() -> {
            inbound.close();
            backend.close();
        });
        ctx.pipeline().addLast("bytes", new ByteRelay(inbound));
        ctx.pipeline().remove(this);
        ctx.pipeline().remove("http");
        ByteRelay.start(inbound);
        ByteRelay.start(backend);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!done) {
            done = true;
            finished.run();
            if (headSent) {
                // Too late for a Status: a cut-off body can only be signalled by closing.
                client.channel().close();
            } else {
                client.respond(ApiResponse.of(ApiError.of(502, null,
                        "error trying to reach service: unexpected EOF from " + backendAddress)));
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
