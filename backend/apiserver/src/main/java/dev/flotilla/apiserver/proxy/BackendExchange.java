package dev.flotilla.apiserver.proxy;

import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.ClientConnection;
import dev.flotilla.apiserver.http.ConnectionTakeover;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;

/**
 * Sends one request to a {@link Backend} and answers the client with what the backend answers:
 * a streamed response passed on as it arrives, or, after a 101, the raw upgraded connection in
 * both directions. The backend is dialled on the client connection's own event loop, so relaying
 * needs no locks. A backend that cannot be reached is a Status naming what failed, after at most
 * the connect timeout.
 */
public final class BackendExchange implements ConnectionTakeover {

    private final Backend backend;
    private final HttpMethod method;
    private final HttpHeaders headers;
    private final byte[] body;
    private final Duration connectTimeout;

    public BackendExchange(Backend backend, HttpMethod method, HttpHeaders headers, byte[] body,
            Duration connectTimeout) {
        this.backend = backend;
        this.method = method;
        this.headers = headers;
        this.body = body;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public void start(ClientConnection client) {
        client.channel().eventLoop().execute(() -> dial(client));
    }

    private void dial(ClientConnection client) {
        Channel inbound = client.channel();
        Bootstrap bootstrap = new Bootstrap()
                .group(inbound.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (backend.tls() != null) {
                            SslHandler tls = backend.tls().newHandler(channel.alloc(), backend.host(), backend.port());
                            tls.setHandshakeTimeoutMillis(connectTimeout.toMillis());
                            channel.pipeline().addLast("tls", tls);
                        }
                        channel.pipeline().addLast("http", new HttpClientCodec());
                    }
                });
        ChannelFuture connect = bootstrap.connect(backend.host(), backend.port());
        Channel outbound = connect.channel();
        ChannelFutureListener closeBackend = closed -> outbound.close();
        inbound.closeFuture().addListener(closeBackend);
        client.onShutdown(() -> {
            outbound.close();
            inbound.close();
        });
        Runnable finished = () -> {
            inbound.closeFuture().removeListener(closeBackend);
            client.streamEnded();
        };
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                finished.run();
                client.respond(ApiResponse.of(DialErrors.dialFailed(backend, done.cause())));
                return;
            }
            SslHandler tls = outbound.pipeline().get(SslHandler.class);
            if (tls == null) {
                send(client, outbound, finished);
                return;
            }
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    send(client, outbound, finished);
                } else {
                    outbound.close();
                    finished.run();
                    client.respond(ApiResponse.of(DialErrors.dialFailed(backend, handshake.cause())));
                }
            });
        });
    }

    private void send(ClientConnection client, Channel outbound, Runnable finished) {
        outbound.pipeline().addLast("relay", new ResponseRelay(client, outbound, backend.address(), finished));
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, backend.uri(),
                Unpooled.wrappedBuffer(body));
        request.headers().set(headers);
        request.headers().set(HttpHeaderNames.HOST, backend.address());
        if (body.length > 0 || !(method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))) {
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        outbound.writeAndFlush(request);
        outbound.read();
    }
}
