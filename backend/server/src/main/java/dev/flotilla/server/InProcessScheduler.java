package dev.flotilla.server;

import dev.flotilla.apiserver.pki.ClusterCertificates;
import dev.flotilla.scheduler.Scheduler;
import dev.flotilla.scheduler.SchedulerSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler run inside the control-plane process when {@code flotilla.scheduler.enabled} (the
 * default): an API client of the listener just started, as user {@code system:kube-scheduler}. It
 * starts in the background so a slow first list never delays the server's start.
 */
final class InProcessScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessScheduler.class);

    private final KubernetesClient client;
    private final Scheduler scheduler;

    private InProcessScheduler(KubernetesClient client, Scheduler scheduler) {
        this.client = client;
        this.scheduler = scheduler;
    }

    /** Null when disabled. */
    static InProcessScheduler startIfEnabled(ApplicationContext context) {
        if (!context.getProperty("flotilla.scheduler.enabled", Boolean.class).orElse(true)) {
            return null;
        }
        Path kubeconfig = context.getBean(ClusterCertificates.class)
                .clientKubeconfig("scheduler", "system:kube-scheduler", List.of());
        KubernetesClient client = new KubernetesClientBuilder().withConfig(readConfig(kubeconfig)).build();
        Scheduler scheduler = new Scheduler(client, SchedulerSettings.defaults(), context.getBean(MeterRegistry.class));
        Thread starter = new Thread(() -> {
            try {
                scheduler.start();
            } catch (RuntimeException e) {
                LOG.error("the scheduler did not start: {}", e.getMessage(), e);
            }
        }, "scheduler-start");
        starter.setDaemon(true);
        starter.start();
        return new InProcessScheduler(client, scheduler);
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
