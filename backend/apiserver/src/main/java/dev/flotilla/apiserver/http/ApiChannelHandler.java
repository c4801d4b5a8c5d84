package dev.flotilla.apiserver.http;

import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.status.ApiError;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLSession;

/** Copies each decoded request off the event loop, runs it through {@link ApiRequestHandler} and writes the answer. */
final class ApiChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final ApiRequestHandler handler;
    private final Executor executor;

    ApiChannelHandler(ApiRequestHandler handler, Executor executor) {
        this.handler = handler;
        this.executor = executor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            write(ctx, ApiResponse.of(ApiError.badRequest("malformed HTTP request: "
                    + request.decoderResult().cause().getMessage())), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        byte[] body = new byte[request.content().readableBytes()];
        request.content().readBytes(body);
        SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
        UserInfo user = handler.authenticate(session);
        ApiRequest apiRequest = new ApiRequest(request.method(), uri.path(), uri.parameters(), request.headers().copy(),
                body, user);
        RequestInfo info = RequestInfo.of(apiRequest.method().name(), apiRequest.path(), apiRequest.query());
        ApiResponse refused = handler.admit(info);
        if (refused != null) {
            write(ctx, refused, keepAlive);
            return;
        }
        String sourceIp = ctx.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null
                ? remote.getAddress().getHostAddress() : "";
        boolean webSocket = WebSocketResponseStream.isUpgrade(request);
        FullHttpRequest retained = webSocket ? request.retainedDuplicate() : null;
        try {
            executor.execute(() -> {
                try {
                    ApiResponse response = handler.handle(apiRequest, info, sourceIp);
                    if (webSocket && response.isStreaming()) {
                        WebSocketResponseStream.open(ctx, retained, response);
                    } else {
                        write(ctx, response, keepAlive);
                    }
                } finally {
                    handler.release(info);
                    if (retained != null) {
                        retained.release();
                    }
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            handler.release(info);
            write(ctx, ApiResponse.of(ApiError.of(503, "ServiceUnavailable", "the server is shutting down"))
                    .withHeader("Retry-After", "1"), false);
        }
    }

    private static void write(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive) {
        if (response.takesOver()) {
            response.takeover().start(new ClientConnection(ctx, keepAlive));
            return;
        }
        if (response.isStreaming()) {
            ChunkedResponseStream.open(ctx, response, keepAlive);
            return;
        }
        FullHttpResponse out = HttpResponses.toNetty(response, ctx.alloc(), keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(out);
        } else {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
