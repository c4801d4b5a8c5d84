package dev.flotilla.scheduler;

import dev.flotilla.scheduler.config.InvalidSchedulerConfigurationException;
import dev.flotilla.scheduler.config.SchedulerConfiguration;
import dev.flotilla.scheduler.config.SchedulerConfigurationFile;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The scheduler as its own process, as {@code kube-scheduler --kubeconfig FILE [--config FILE]}
 * ({@code flotilla scheduler}); runs until SIGTERM/SIGINT. An invalid configuration file ends it
 * at once with exit code 1 and the problem on stderr.
 */
public final class SchedulerCommand {

    /** A started scheduler and its client, closed together. */
    public record Running(Scheduler scheduler, KubernetesClient client) implements AutoCloseable {
        @Override
        public void close() {
            scheduler.close();
            client.close();
        }
    }

    /** Wrong arguments. */
    public static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private SchedulerCommand() {
    }

    public static void main(String[] args) throws InterruptedException {
        Running running;
        try {
            running = start(args);
        } catch (UsageException e) {
            System.err.println("scheduler: " + e.getMessage());
            System.err.println("usage: scheduler --kubeconfig FILE [--config FILE]");
            System.exit(2);
            return;
        } catch (InvalidSchedulerConfigurationException e) {
            System.err.println("scheduler: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /** Reads the configuration, then starts the scheduler (informers synced, contesting its Lease). */
    public static Running start(String... args) throws UsageException, InvalidSchedulerConfigurationException {
        String kubeconfig = null;
        String config = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--kubeconfig") || arg.equals("--config")) && i + 1 < args.length) {
                if (arg.equals("--kubeconfig")) {
                    kubeconfig = args[++i];
                } else {
                    config = args[++i];
                }
            } else if (arg.startsWith("--kubeconfig=")) {
                kubeconfig = arg.substring("--kubeconfig=".length());
            } else if (arg.startsWith("--config=")) {
                config = arg.substring("--config=".length());
            } else {
                throw new UsageException("unknown argument " + arg);
            }
        }
        if (kubeconfig == null) {
            throw new UsageException("--kubeconfig is required");
        }
        SchedulerConfiguration configuration = config == null ? SchedulerConfiguration.defaults()
                : SchedulerConfigurationFile.read(Path.of(config));
        KubernetesClient client;
        try {
            client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(Path.of(kubeconfig))))
                    .build();
        } catch (IOException e) {
            throw new UsageException("cannot read " + kubeconfig + ": " + e.getMessage());
        }
        Scheduler scheduler = new Scheduler(client, SchedulerSettings.defaults(), configuration, new SimpleMeterRegistry());
        try {
            scheduler.start();
        } catch (RuntimeException e) {
            scheduler.close();
            client.close();
            throw e;
        }
        return new Running(scheduler, client);
    }
}
