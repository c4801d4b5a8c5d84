package dev.flotilla.server;

import dev.flotilla.api.health.HealthResult;
import dev.flotilla.apiserver.authz.BootstrapPolicyReconciler;
import dev.flotilla.apiserver.pki.ClusterCertificates;
import dev.flotilla.scheduler.Scheduler;
import dev.flotilla.scheduler.SchedulerSettings;
import dev.flotilla.scheduler.config.InvalidSchedulerConfigurationException;
import dev.flotilla.scheduler.config.SchedulerConfiguration;
import dev.flotilla.scheduler.config.SchedulerConfigurationFile;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler run inside the control-plane process when {@code flotilla.scheduler.enabled} (the
 * default): an API client of the listener just started, as user {@code system:kube-scheduler}. It
 * starts in the background so a slow first list never delays the server's start.
 */
final class InProcessScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessScheduler.class);

    private static final Duration RBAC_WAIT = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final Scheduler scheduler;

    private InProcessScheduler(KubernetesClient client, Scheduler scheduler) {
        this.client = client;
        this.scheduler = scheduler;
    }

    static boolean enabled(ApplicationContext context) {
        return context.getProperty("flotilla.scheduler.enabled", Boolean.class).orElse(true);
    }

    /**
     * The configuration file named by {@code flotilla.scheduler.config} (upstream's {@code --config}),
     * or upstream's defaults without one. An invalid file stops the control plane from starting, as
     * kube-scheduler refuses to start.
     */
    static SchedulerConfiguration configuration(ApplicationContext context) {
        Optional<String> file = context.getProperty("flotilla.scheduler.config", String.class).filter(f -> !f.isBlank());
        if (file.isEmpty()) {
            return SchedulerConfiguration.defaults();
        }
        try {
            SchedulerConfiguration configuration = SchedulerConfigurationFile.read(Path.of(file.get()));
            LOG.info("scheduler configuration {}: profiles {}", file.get(), configuration.schedulerNames());
            return configuration;
        } catch (InvalidSchedulerConfigurationException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Null when disabled. The scheduler's kubeconfig is written either way: with the in-process
     * scheduler off, {@code flotilla scheduler} runs one of its own with it.
     */
    static InProcessScheduler startIfEnabled(ApplicationContext context, SchedulerConfiguration configuration) {
        Path kubeconfig = context.getBean(ClusterCertificates.class)
                .clientKubeconfig("scheduler", "system:kube-scheduler", List.of());
        if (!enabled(context)) {
            return null;
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(readConfig(kubeconfig)).build();
        Scheduler scheduler = new Scheduler(client, SchedulerSettings.defaults(), configuration,
                context.getBean(MeterRegistry.class));
        BootstrapPolicyReconciler rbac = context.getBean(BootstrapPolicyReconciler.class);
        Thread starter = new Thread(() -> {
            try {
                awaitRbac(rbac);
                scheduler.start();
            } catch (RuntimeException e) {
                LOG.error("the scheduler did not start: {}", e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "scheduler-start");
        starter.setDaemon(true);
        starter.start();
        return new InProcessScheduler(client, scheduler);
    }

    /**
     * Until the default roles are in place, system:kube-scheduler may list nothing and the first list
     * of every informer would be refused (403); upstream's scheduler waits this out by retrying.
     */
    private static void awaitRbac(BootstrapPolicyReconciler rbac) throws InterruptedException {
        long deadline = System.nanoTime() + RBAC_WAIT.toNanos();
        HealthResult state;
        while (!(state = rbac.check()).healthy()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + RBAC_WAIT.toSeconds() + " s for the RBAC bootstrap: "
                        + state.reason() + "; check the API server's storage (readyz)");
            }
            Thread.sleep(100);
        }
    }

    private static Config readConfig(Path kubeconfig) {
        try {
            return Config.fromKubeconfig(Files.readString(kubeconfig));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        scheduler.close();
        client.close();
    }
}
