package dev.flotilla.apiserver.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.Executor;

/** The per-connection pipeline: TLS, HTTP/1.1 codec, bounded body aggregation, then the request handler. */
final class ApiChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final SslContext ssl;
    private final int maxBodyBytes;
    private final ApiRequestHandler handler;
    private final Executor executor;
    private final ChannelGroup connections;

    ApiChannelInitializer(SslContext ssl, int maxBodyBytes, ApiRequestHandler handler, Executor executor,
            ChannelGroup connections) {
        this.ssl = ssl;
        this.maxBodyBytes = maxBodyBytes;
        this.handler = handler;
        this.executor = executor;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        connections.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
        pipeline.addLast("http", new HttpServerCodec());
        pipeline.addLast("keepalive", new HttpServerKeepAliveHandler());
        pipeline.addLast("body", new BoundedBodyAggregator(maxBodyBytes));
        pipeline.addLast("api", new ApiChannelHandler(handler, executor));
    }
}
