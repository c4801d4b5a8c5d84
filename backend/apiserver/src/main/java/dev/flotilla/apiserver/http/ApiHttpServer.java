package dev.flotilla.apiserver.http;

import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.pki.ClusterCertificates;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener (Netty). TLS accepts, but does not require, a client certificate from the
 * cluster CA; requests are decoded on the event loops and served on a worker pool, because endpoints
 * may block briefly (health checks, storage).
 */
@Singleton
public class ApiHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHttpServer.class);

    private final ApiServerProperties properties;
    private final ClusterCertificates certificates;
    private final ApiRequestHandler handler;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ExecutorService requestExecutor;
    private Channel channel;
    private final ChannelGroup connections = new DefaultChannelGroup("api-connections", GlobalEventExecutor.INSTANCE);

    public ApiHttpServer(ApiServerProperties properties, ClusterCertificates certificates, ApiRequestHandler handler) {
        this.properties = properties;
        this.certificates = certificates;
        this.handler = handler;
    }

    /** Binds the listener; returns once it accepts connections. */
    public synchronized void start() {
        if (channel != null) {
            return;
        }
        SslContext ssl = sslContext();
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        requestExecutor = new ThreadPoolExecutor(properties.getWorkerThreads(), properties.getWorkerThreads(),
                60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), namedThreads("api-request-"));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ApiChannelInitializer(ssl, properties.getMaxRequestBodyBytes(), handler,
                        requestExecutor, connections));
        InetSocketAddress address = new InetSocketAddress(properties.getBindAddress(), properties.getPort());
        try {
            channel = bootstrap.bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + address, e);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on " + address + ": " + e.getMessage()
                    + " (is another server using port " + properties.getPort() + "?)", e);
        }
        LOG.info("serving HTTPS on {}", channel.localAddress());
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private SslContext sslContext() {
        try {
            return SslContextBuilder
                    .forServer(certificates.serving().privateKey(), certificates.serving().certificate(),
                            certificates.ca().certificate())
                    .trustManager(certificates.ca().certificate())
                    .clientAuth(ClientAuth.OPTIONAL)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory namedThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        // End watches cleanly so clients resume from their last version rather than see a reset.
        OpenStreams.closeAll(connections);
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            bossGroup = null;
        }
        if (requestExecutor != null) {
            requestExecutor.shutdownNow();
            requestExecutor = null;
        }
    }
}
