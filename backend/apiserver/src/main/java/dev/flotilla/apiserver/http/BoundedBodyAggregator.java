package dev.flotilla.apiserver.http;

import dev.flotilla.api.status.ApiError;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/** Collects a request body up to the configured limit; a larger body gets a 413 {@code Status} and the connection closes. */
final class BoundedBodyAggregator extends HttpObjectAggregator {

    private final int maxBodyBytes;

    BoundedBodyAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse response = HttpResponses.toNetty(ApiResponse.of(ApiError.requestEntityTooLarge(maxBodyBytes)),
                ctx.alloc(), false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
