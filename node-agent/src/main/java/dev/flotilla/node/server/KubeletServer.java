package dev.flotilla.node.server;

import dev.flotilla.api.pki.PemFiles;
import dev.flotilla.api.pki.PkiException;
import dev.flotilla.api.pki.ReloadingKeyManager;
import dev.flotilla.node.kubelet.ContainerLogFiles;
import dev.flotilla.node.kubelet.StreamTargets;
import dev.flotilla.node.stats.ResourceMetricsText;
import dev.flotilla.node.stats.StatsCollector;
import dev.flotilla.node.stats.SummaryJson;
import dev.flotilla.api.json.Json;
import io.fabric8.kubernetes.api.model.Pod;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The kubelet API on HTTPS (Netty): {@code /healthz}, {@code /pods} (a PodList of the pods it runs),
 * {@code /stats/summary} (upstream's Summary API JSON), {@code /metrics/resource} (Prometheus text),
 * {@code /containerLogs/{ns}/{pod}/{container}}
 * (follow, tailLines, timestamps, previous, limitBytes, sinceSeconds, sinceTime), and the streaming
 * endpoints {@code /exec/{ns}/{pod}/{container}?command=…&input&output&error&tty},
 * {@code /attach/{ns}/{pod}/{container}} and {@code /portForward/{ns}/{pod}}, whose upgrade is handed
 * to the container runtime's streaming server ({@link StreamRelay}). Callers must present a client
 * certificate from the cluster CA whose common name is an allowed user (by default only the API
 * server's {@code kube-apiserver-kubelet-client}); others get 403.
 */
public final class KubeletServer implements AutoCloseable {

    public static final Set<String> DEFAULT_ALLOWED_USERS = Set.of("kube-apiserver-kubelet-client");
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final String bindAddress;
    private final int requestedPort;
    private final SSLContext tls;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    /** Log reads and CRI calls block: they run here, never on the event loop. */
    private final ExecutorService blocking = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "kubelet-api");
        thread.setDaemon(true);
        return thread;
    });
    private final ContainerLogFiles logs;
    private final StreamTargets streams;
    private final Set<String> allowedUsers;
    private final StatsCollector stats;
    private final Supplier<List<Pod>> pods;
    private Channel listening;

    public KubeletServer(String bindAddress, int port, Path certFile, Path keyFile, Path clientCaFile,
                         Set<String> allowedUsers, ContainerLogFiles logs, StreamTargets streams, StatsCollector stats,
                         Supplier<List<Pod>> pods) {
        this.bindAddress = bindAddress;
        this.stats = stats;
        this.pods = pods;
        this.requestedPort = port;
        this.logs = logs;
        this.streams = streams;
        this.allowedUsers = allowedUsers;
        this.tls = tls(certFile, keyFile, clientCaFile);
    }

    public KubeletServer start() {
        try {
            listening = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            SSLEngine engine = tls.createSSLEngine();
                            engine.setUseClientMode(false);
                            engine.setNeedClientAuth(true);
                            channel.pipeline().addLast(new SslHandler(engine), new HttpServerCodec(),
                                    new HttpObjectAggregator(MAX_REQUEST_BYTES), new Handler());
                        }
                    })
                    .bind(new InetSocketAddress(bindAddress, requestedPort)).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("cannot listen on " + bindAddress + ":" + requestedPort + ": "
                    + e.getMessage(), e);
        }
        return this;
    }

    public int port() {
        return ((InetSocketAddress) listening.localAddress()).getPort();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!allowed(ctx)) {
                text(ctx, 403, "Forbidden: only the API server's client certificate may call the kubelet API");
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            String[] parts = path.split("/");
            String endpoint = parts.length > 1 ? parts[1] : "";
            List<String> rest = List.of(parts).subList(Math.min(2, parts.length), parts.length);
            Map<String, List<String>> query = uri.parameters();
            switch (endpoint) {
                case "healthz" -> text(ctx, 200, "ok");
                case "pods" -> blocking.execute(() -> respond(ctx, 200, "application/json", podList()));
                case "stats" -> blocking.execute(() -> statsSummary(ctx, rest));
                case "metrics" -> blocking.execute(() -> resourceMetrics(ctx, rest));
                case "containerLogs" -> blocking.execute(() -> containerLogs(ctx, rest, query));
                case "exec", "attach", "portForward" -> {
                    FullHttpRequest held = request.retainedDuplicate();
                    blocking.execute(() -> {
                        try {
                            stream(ctx, held, endpoint, rest, query);
                        } finally {
                            held.release();
                        }
                    });
                }
                default -> text(ctx, 404, "404 page not found");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private boolean allowed(ChannelHandlerContext ctx) {
        try {
            Certificate[] chain = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
            return chain.length > 0 && allowedUsers.contains(commonName((X509Certificate) chain[0]));
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    private void stream(ChannelHandlerContext ctx, FullHttpRequest request, String endpoint, List<String> parts,
                        Map<String, List<String>> query) {
        String url;
        try {
            url = switch (endpoint) {
                case "exec" -> {
                    requireParts(parts, 3, "/exec/{namespace}/{pod}/{container}");
                    yield streams.exec(parts.get(0), parts.get(1), parts.get(parts.size() - 1),
                            query.getOrDefault("command", List.of()), streamsAsked(query));
                }
                case "attach" -> {
                    requireParts(parts, 3, "/attach/{namespace}/{pod}/{container}");
                    yield streams.attach(parts.get(0), parts.get(1), parts.get(parts.size() - 1), streamsAsked(query));
                }
                default -> {
                    requireParts(parts, 2, "/portForward/{namespace}/{pod}");
                    yield streams.portForward(parts.get(0), parts.get(1), ports(query));
                }
            };
        } catch (StreamTargets.NoTargetException e) {
            text(ctx, e.status(), e.getMessage());
            return;
        }
        if (!request.headers().contains(HttpHeaderNames.UPGRADE)) {
            text(ctx, 400, "Upgrade request required");
            return;
        }
        var copy = new io.netty.handler.codec.http.DefaultHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), request.headers().copy());
        ctx.channel().eventLoop().execute(() -> StreamRelay.start(ctx.channel(), copy, URI.create(url),
                () -> leaveHttp(ctx), (status, message) -> text(ctx, status, message)));
    }

    private void statsSummary(ChannelHandlerContext ctx, List<String> rest) {
        if (!rest.equals(List.of("summary"))) {
            text(ctx, 404, "404 page not found");
            return;
        }
        respond(ctx, 200, "application/json", SummaryJson.of(stats.collect()).toString());
    }

    private void resourceMetrics(ChannelHandlerContext ctx, List<String> rest) {
        if (!rest.equals(List.of("resource"))) {
            text(ctx, 404, "404 page not found");
            return;
        }
        respond(ctx, 200, ResourceMetricsText.CONTENT_TYPE, ResourceMetricsText.of(stats.collect()));
    }

    private String podList() {
        var list = Json.mapper().createObjectNode();
        list.put("kind", "PodList");
        list.put("apiVersion", "v1");
        list.putObject("metadata");
        var items = list.putArray("items");
        pods.get().forEach(pod -> items.add(Json.mapper().valueToTree(pod)));
        return list.toString();
    }

    private static void leaveHttp(ChannelHandlerContext ctx) {
        var pipeline = ctx.pipeline();
        pipeline.remove(HttpObjectAggregator.class);
        pipeline.remove(ctx.handler());
        pipeline.remove(HttpServerCodec.class);
    }

    private static void requireParts(List<String> parts, int count, String form) {
        if (parts.size() < count || parts.size() > count + 1) {
            throw new StreamTargets.NoTargetException(400, "expected " + form);
        }
    }

    /** Upstream's names ({@code input}, {@code output}, {@code error}, {@code tty}) and the older stdin/stdout/stderr. */
    private static StreamTargets.Streams streamsAsked(Map<String, List<String>> query) {
        return new StreamTargets.Streams(flag(query, "input") || flag(query, "stdin"),
                flag(query, "output") || flag(query, "stdout"), flag(query, "error") || flag(query, "stderr"),
                flag(query, "tty"));
    }

    private static List<Integer> ports(Map<String, List<String>> query) {
        try {
            return query.getOrDefault("port", List.of()).stream().map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new StreamTargets.NoTargetException(400, "invalid port: " + e.getMessage());
        }
    }

    private void containerLogs(ChannelHandlerContext ctx, List<String> parts, Map<String, List<String>> query) {
        if (parts.size() != 3) {
            text(ctx, 400, "expected /containerLogs/{namespace}/{pod}/{container}");
            return;
        }
        Optional<Pod> pod = logs.pod(parts.get(0), parts.get(1));
        if (pod.isEmpty()) {
            text(ctx, 404, "pod \"" + parts.get(1) + "\" not found");
            return;
        }
        boolean previous = flag(query, "previous");
        Optional<Path> file = logs.logFile(pod.get(), parts.get(2), previous);
        if (file.isEmpty()) {
            text(ctx, previous ? 400 : 404, previous
                    ? "previous terminated container \"" + parts.get(2) + "\" in pod \"" + parts.get(1) + "\" not found"
                    : "container \"" + parts.get(2) + "\" in pod \"" + parts.get(1) + "\" has no log yet");
            return;
        }
        CriLogReader reader;
        try {
            String sinceTime = value(query, "sinceTime");
            String sinceSeconds = value(query, "sinceSeconds");
            Instant since = sinceTime != null ? Instant.parse(sinceTime)
                    : sinceSeconds != null ? Instant.now().minusSeconds(Long.parseLong(sinceSeconds)) : null;
            String tail = value(query, "tailLines");
            String limit = value(query, "limitBytes");
            reader = new CriLogReader(new CriLogReader.Options(flag(query, "follow") && !previous,
                    flag(query, "timestamps"), tail == null ? null : Integer.valueOf(tail),
                    limit == null ? null : Long.valueOf(limit), since));
        } catch (RuntimeException e) {
            text(ctx, 400, "invalid log options: " + e.getMessage());
            return;
        }
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        try (OutputStream out = new ChunkedOutput(ctx.channel())) {
            reader.copy(file.get(), out, () -> logs.running(pod.get(), parts.get(2)));
        } catch (IOException e) {
            ctx.close(); // the client went away while following
            return;
        }
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private static String value(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static boolean flag(Map<String, List<String>> query, String name) {
        String value = value(query, name);
        return value != null && (value.isEmpty() || value.equals("true") || value.equals("1"));
    }

    private static void text(ChannelHandlerContext ctx, int code, String body) {
        respond(ctx, code, "text/plain; charset=utf-8", body);
    }

    private static void respond(ChannelHandlerContext ctx, int code, String contentType, String body) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        ctx.writeAndFlush(response);
    }

    private static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return "";
        }
        return "";
    }

    /** The serving certificate is read again when its files change (rotation); the client CA once. */
    private static SSLContext tls(Path certFile, Path keyFile, Path clientCaFile) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int i = 0;
            for (X509Certificate ca : PemFiles.readCertificates(clientCaFile)) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new ReloadingKeyManager(certFile, keyFile)},
                    trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException | PkiException e) {
            throw new IllegalStateException("cannot set up the kubelet API's TLS: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (listening != null) {
            listening.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        blocking.shutdownNow();
    }
}
