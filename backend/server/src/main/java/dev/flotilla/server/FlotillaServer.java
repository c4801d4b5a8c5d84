package dev.flotilla.server;

import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.http.ApiHttpServer;
import dev.flotilla.apiserver.pki.ClusterCertificates;
import dev.flotilla.controllers.ControllerManager;
import dev.flotilla.controllers.ControllerManagerSettings;
import dev.flotilla.scheduler.config.SchedulerConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import io.micronaut.context.ApplicationContext;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The control-plane executable. Starts the application context (which connects to etcd and
 * PostgreSQL lazily and migrates the platform schema in the background), then the HTTPS listener,
 * then (unless disabled by {@code flotilla.controllers.enabled} / {@code flotilla.scheduler.enabled})
 * the controller manager and the scheduler as API clients of that listener, and runs until SIGTERM/SIGINT, when it shuts down in the reverse order.
 */
public final class FlotillaServer {

    private static final Logger LOG = LoggerFactory.getLogger(FlotillaServer.class);

    private final ApplicationContext context;
    private final ControllerManager controllers;
    private final InProcessScheduler scheduler;

    private FlotillaServer(ApplicationContext context, ControllerManager controllers, InProcessScheduler scheduler) {
        this.context = context;
        this.controllers = controllers;
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
        ControllerManager controllers;
        SchedulerConfiguration schedulerConfiguration;
        try {
            schedulerConfiguration = InProcessScheduler.enabled(context) ? InProcessScheduler.configuration(context) : null;
            context.getBean(ApiHttpServer.class).start();
            controllers = startControllers(context);
        } catch (RuntimeException e) {
            context.getBean(ApiHttpServer.class).close();
            context.close();
            throw e;
        }
        ApiServerProperties properties = context.getBean(ApiServerProperties.class);
        LOG.info("Flotilla control plane started in {} ms; admin kubeconfig: {}",
                (System.nanoTime() - begin) / 1_000_000, properties.adminKubeconfig());
        return new FlotillaServer(context, controllers, InProcessScheduler.startIfEnabled(context, schedulerConfiguration));
    }

    /** The in-process controller manager, a client with its own certificate; null when disabled. */
    private static ControllerManager startControllers(ApplicationContext context) {
        if (!context.getProperty("flotilla.controllers.enabled", Boolean.class).orElse(true)) {
            return null;
        }
        ClusterCertificates certificates = context.getBean(ClusterCertificates.class);
        ControllerManagerSettings defaults = ControllerManagerSettings.defaults();
        ControllerManagerSettings settings = defaults.withLease(
                context.getProperty("flotilla.controllers.lease-duration", Duration.class).orElse(defaults.leaseDuration()),
                context.getProperty("flotilla.controllers.renew-deadline", Duration.class).orElse(defaults.renewDeadline()),
                context.getProperty("flotilla.controllers.retry-period", Duration.class).orElse(defaults.retryPeriod()))
                .withMaxEndpointsPerSlice(context.getProperty("flotilla.controllers.max-endpoints-per-slice",
                        Integer.class).orElse(defaults.maxEndpointsPerSlice()))
                .withCsrSigning(certificates.caFile(), certificates.caKeyFile(),
                        context.getProperty("flotilla.controllers.cluster-signing-duration", Duration.class)
                                .orElse(Duration.ofDays(365)))
                .withPodGc(context.getProperty("flotilla.controllers.terminated-pod-gc-threshold", Integer.class)
                        .orElse(defaults.terminatedPodGcThreshold()),
                        context.getProperty("flotilla.controllers.pod-gc-period", Duration.class)
                                .orElse(defaults.podGcPeriod()))
                .withNodeMonitoring(context.getProperty("flotilla.controllers.node-monitor-grace-period", Duration.class)
                        .orElse(defaults.nodeMonitoring().gracePeriod()),
                        context.getProperty("flotilla.controllers.node-monitor-period", Duration.class)
                                .orElse(defaults.nodeMonitoring().period()),
                        context.getProperty("flotilla.controllers.node-eviction-rate", Double.class)
                                .orElse(defaults.nodeMonitoring().evictionRate()))
                .withHpaSyncPeriod(context.getProperty("flotilla.controllers.horizontal-pod-autoscaler-sync-period",
                        Duration.class).orElse(defaults.hpaSyncPeriod()));
        return ControllerManager.start(
                certificates.clientKubeconfig("controller-manager",
                        "system:kube-controller-manager", List.of()),
                context.getBean(MeterRegistry.class), settings);
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

    /** The in-process controller manager, or null when {@code flotilla.controllers.enabled=false}. */
    public ControllerManager controllers() {
        return controllers;
    }

    public int port() {
        return context.getBean(ApiHttpServer.class).port();
    }

    /**
     * Stops the controller manager and the scheduler first (releasing their leases), then serving (ending watches
     * cleanly), then closes storage and the rest of the context.
     */
    public void stop() {
        if (controllers != null) {
            controllers.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (context.isRunning()) {
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
