package dev.flotilla.e2e;

import dev.flotilla.api.pki.CertificateAuthority;
import dev.flotilla.api.pki.CertificateSpec;
import dev.flotilla.api.pki.IssuedCertificate;
import dev.flotilla.api.pki.PemFiles;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Just enough of a kubelet's API for the API server's routing to be tested against: HTTPS with a
 * serving certificate from the cluster CA, client certificates required (from the same CA);
 * {@code /containerLogs} (with a followed log that waits for the test before it ends), {@code /exec}
 * over the {@code v5.channel.k8s.io} WebSocket protocol (writes what it was asked to echo on stdout,
 * then a Success status), {@code /portForward} (accepts the upgrade and counts the frames it gets),
 * and any other path answered with the path it was asked for.
 */
final class FakeKubelet implements AutoCloseable {

    /** One request as the kubelet saw it. */
    record Seen(String method, String uri, String upgrade, String protocols, String clientName) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final AtomicInteger portForwardFrames = new AtomicInteger();
    private volatile CompletableFuture<Void> followReleased = new CompletableFuture<>();

    private FakeKubelet(SslContext tls) throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(tls.newHandler(channel.alloc()), new HttpServerCodec(),
                                new HttpObjectAggregator(1 << 20), new Handler());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** Starts on a free loopback port with a serving certificate for 127.0.0.1 from the CA in {@code pkiDir}. */
    static FakeKubelet start(Path pkiDir) {
        CertificateAuthority ca = new CertificateAuthority(PemFiles.readCertificate(pkiDir.resolve("ca.crt")),
                PemFiles.readPrivateKey(pkiDir.resolve("ca.key")));
        IssuedCertificate serving = ca.issue(CertificateSpec.server("fake-kubelet", List.of("localhost"),
                List.of("127.0.0.1"), Duration.ofDays(1)));
        try {
            SslContext tls = SslContextBuilder.forServer(serving.privateKey(), serving.certificate())
                    .trustManager(ca.certificate())
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
            return new FakeKubelet(tls);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake kubelet", e);
        }
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    int portForwardFrames() {
        return portForwardFrames.get();
    }

    /** Lets the followed log that is waiting write its last line and end. */
    void releaseFollowedLog() {
        followReleased.complete(null);
        followReleased = new CompletableFuture<>();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {

        private WebSocketServerHandshaker handshaker;
        /** An exec of {@code cat}: stdin (channel 0) comes back on stdout (channel 1) until stdin closes. */
        private boolean cat;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof WebSocketFrame frame) {
                if (frame instanceof CloseWebSocketFrame) {
                    handshaker.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
                } else if (frame instanceof BinaryWebSocketFrame && cat) {
                    catFrame(ctx, frame.content());
                } else if (frame instanceof BinaryWebSocketFrame) {
                    portForwardFrames.incrementAndGet();
                }
                return;
            }
            FullHttpRequest request = (FullHttpRequest) msg;
            X509Certificate client = (X509Certificate) ctx.pipeline().get(SslHandler.class).engine().getSession()
                    .getPeerCertificates()[0];
            seen.add(new Seen(request.method().name(), request.uri(), request.headers().get("Upgrade"),
                    request.headers().get("Sec-WebSocket-Protocol"), client.getSubjectX500Principal().getName()));
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            if (path.startsWith("/containerLogs/")) {
                logs(ctx, path, uri);
            } else if (path.startsWith("/exec/")) {
                exec(ctx, request, uri);
            } else if (path.startsWith("/portForward/")) {
                upgrade(ctx, request, "SPDY/3.1+portforward.k8s.io,v4.channel.k8s.io");
            } else {
                text(ctx, 200, request.method().name() + " " + request.uri() + "\n");
            }
        }

        private void logs(ChannelHandlerContext ctx, String path, QueryStringDecoder uri) {
            String container = path.substring(path.lastIndexOf('/') + 1);
            if (!"true".equals(first(uri, "follow"))) {
                text(ctx, 200, "log of " + container + " tailLines=" + first(uri, "tailLines") + "\nsecond line\n");
                return;
            }
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpUtil.setTransferEncodingChunked(head, true);
            // Taken before the first line goes out: the test releases as soon as it sees that line.
            CompletableFuture<Void> release = followReleased;
            ctx.write(head);
            ctx.writeAndFlush(new DefaultHttpContent(utf8("first followed line\n")));
            release.thenRun(() -> {
                ctx.write(new DefaultHttpContent(utf8("last followed line\n")));
                ctx.writeAndFlush(new DefaultLastHttpContent());
            });
        }

        private void exec(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
            upgrade(ctx, request, "v5.channel.k8s.io,v4.channel.k8s.io").addListener(done -> {
                if (!done.isSuccess()) {
                    return;
                }
                List<String> command = uri.parameters().getOrDefault("command", List.of());
                if (command.equals(List.of("cat"))) {
                    cat = true;
                    return;
                }
                String echoed = command.size() > 1 && command.get(0).equals("echo")
                        ? String.join(" ", command.subList(1, command.size())) : "unknown command " + command;
                ctx.write(channelFrame(1, echoed + "\n"));
                succeed(ctx);
            });
        }

        private void catFrame(ChannelHandlerContext ctx, ByteBuf payload) {
            int channel = payload.readUnsignedByte();
            if (channel == 0) {
                ctx.writeAndFlush(channelFrame(1, payload.toString(StandardCharsets.UTF_8)));
            } else if (channel == 255 && payload.isReadable() && payload.readUnsignedByte() == 0) {
                succeed(ctx);
            }
        }

        /** The v5 protocol's end of a command: a Success status on the error channel, then close. */
        private void succeed(ChannelHandlerContext ctx) {
            ctx.write(channelFrame(3, "{\"metadata\":{},\"status\":\"Success\"}"));
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, ""));
        }

        private io.netty.channel.ChannelFuture upgrade(ChannelHandlerContext ctx, FullHttpRequest request,
                String protocols) {
            handshaker = new WebSocketServerHandshakerFactory("wss://" + request.headers().get("Host")
                    + request.uri(), protocols, false).newHandshaker(request);
            if (handshaker == null) {
                return WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            }
            return handshaker.handshake(ctx.channel(), request);
        }

        private BinaryWebSocketFrame channelFrame(int channel, String text) {
            ByteBuf payload = Unpooled.buffer();
            payload.writeByte(channel);
            payload.writeCharSequence(text, StandardCharsets.UTF_8);
            return new BinaryWebSocketFrame(payload);
        }

        private void text(ChannelHandlerContext ctx, int code, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(code), utf8(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response);
        }

        private static String first(QueryStringDecoder uri, String name) {
            List<String> values = uri.parameters().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        private static ByteBuf utf8(String text) {
            return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
