package dev.flotilla.server;

import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.http.ApiHttpServer;
import io.micronaut.context.ApplicationContext;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The control-plane executable. Starts the application context (which connects to etcd and
 * PostgreSQL lazily and migrates the platform schema in the background), then the HTTPS listener,
 * and runs until SIGTERM/SIGINT, when it shuts down in order.
 */
public final class FlotillaServer {

    private static final Logger LOG = LoggerFactory.getLogger(FlotillaServer.class);

    private final ApplicationContext context;
    private final InProcessScheduler scheduler;

    private FlotillaServer(ApplicationContext context, InProcessScheduler scheduler) {
        this.context = context;
        this.scheduler = scheduler;
    }

    /** Starts a server; {@code args} may set properties as {@code --flotilla.apiserver.port=6443}. */
    public static FlotillaServer start(String... args) {
        long begin = System.nanoTime();
        routeJavaUtilLoggingToSlf4j();
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .args(args)
                .banner(false)
                .start();
        try {
            context.getBean(ApiHttpServer.class).start();
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        ApiServerProperties properties = context.getBean(ApiServerProperties.class);
        LOG.info("Flotilla control plane started in {} ms; admin kubeconfig: {}",
                (System.nanoTime() - begin) / 1_000_000, properties.adminKubeconfig());
        return new FlotillaServer(context, InProcessScheduler.startIfEnabled(context));
    }

    /** gRPC (used by the etcd client) logs through java.util.logging; send it to the same log as the rest. */
    private static void routeJavaUtilLoggingToSlf4j() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    public ApplicationContext context() {
        return context;
    }

    public int port() {
        return context.getBean(ApiHttpServer.class).port();
    }

    /** Stops serving first (ending watches cleanly), then closes storage and the rest of the context. */
    public void stop() {
        if (context.isRunning()) {
            if (scheduler != null) {
                scheduler.close();
            }
            context.getBean(ApiHttpServer.class).close();
            context.close();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        FlotillaServer server;
        try {
            server = start(args);
        } catch (RuntimeException e) {
            LOG.error("Flotilla control plane failed to start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            server.stop();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
