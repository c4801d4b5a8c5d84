package dev.flotilla.controllers;

import dev.flotilla.controllers.bootstrap.BootstrapSigner;
import dev.flotilla.controllers.bootstrap.TokenCleaner;
import dev.flotilla.controllers.certificates.CsrApprovingController;
import dev.flotilla.controllers.certificates.CsrSigningController;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.cronjob.CronJobController;
import dev.flotilla.controllers.daemonset.DaemonSetController;
import dev.flotilla.controllers.deployment.DeploymentController;
import dev.flotilla.controllers.disruption.DisruptionController;
import dev.flotilla.controllers.endpoints.EndpointSliceController;
import dev.flotilla.controllers.endpoints.EndpointsController;
import dev.flotilla.controllers.gc.GarbageCollector;
import dev.flotilla.controllers.hpa.HorizontalPodAutoscalerController;
import dev.flotilla.controllers.job.JobController;
import dev.flotilla.controllers.namespace.NamespaceController;
import dev.flotilla.controllers.network.IpamBlockReleaseController;
import dev.flotilla.controllers.tenancy.TenantController;
import dev.flotilla.controllers.nodelifecycle.NodeLifecycleController;
import dev.flotilla.controllers.podgc.PodGarbageCollector;
import dev.flotilla.controllers.quota.ResourceQuotaController;
import dev.flotilla.controllers.quota.TenantResourceQuotaController;
import dev.flotilla.controllers.replicaset.ReplicaSetController;
import dev.flotilla.controllers.rootca.RootCaCertPublisher;
import dev.flotilla.controllers.serviceaccount.ServiceAccountController;
import dev.flotilla.controllers.statefulset.StatefulSetController;
import dev.flotilla.controllers.ttl.TtlAfterFinishedController;
import dev.flotilla.controllers.volume.EphemeralVolumeController;
import dev.flotilla.controllers.volume.PersistentVolumeController;
import dev.flotilla.controllers.volume.PvProtectionController;
import dev.flotilla.controllers.volume.PvcProtectionController;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller manager: an ordinary API client that stands for election on a coordination Lease
 * and runs the controllers only while it holds it, so any number of processes may run at once.
 * Losing the lease stops the controllers and stands for election again; {@link #close} releases
 * the lease so that another process takes over at once.
 */
public final class ControllerManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);

    private final KubernetesClient client;
    private final MeterRegistry registry;
    private final ControllerManagerSettings settings;
    private final List<Supplier<Controller>> controllers;
    private final ExecutorService terms;
    private final Object termLock = new Object();
    private LeaderTerm term; // guarded by termLock
    private volatile CompletableFuture<?> election;
    private volatile boolean closing;
    private volatile boolean leading;

    ControllerManager(KubernetesClient client, MeterRegistry registry, ControllerManagerSettings settings,
            List<Supplier<Controller>> controllers) {
        this.client = client;
        this.registry = registry;
        this.settings = settings;
        this.controllers = List.copyOf(controllers);
        this.terms = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "controller-manager-term");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Connects with the kubeconfig's identity and stands for election; controllers start once elected. */
    public static ControllerManager start(Path kubeconfig, MeterRegistry registry, ControllerManagerSettings settings) {
        Config config;
        try {
            config = Config.fromKubeconfig(Files.readString(kubeconfig));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + kubeconfig, e);
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        List<Supplier<Controller>> controllers = new ArrayList<>(List.of(
                NamespaceController::new, ServiceAccountController::new, GarbageCollector::new,
                EndpointsController::new, () -> new EndpointSliceController(settings.maxEndpointsPerSlice()),
                ResourceQuotaController::new, TenantResourceQuotaController::new, DisruptionController::new,
                ReplicaSetController::forReplicaSets, ReplicaSetController::forReplicationControllers,
                DeploymentController::new, StatefulSetController::new, PersistentVolumeController::new,
                PvcProtectionController::new, PvProtectionController::new, EphemeralVolumeController::new,
                DaemonSetController::new, JobController::new, CronJobController::new,
                TtlAfterFinishedController::new, IpamBlockReleaseController::new, TenantController::new, TokenCleaner::new,
                BootstrapSigner::new, CsrApprovingController::new,
                () -> new PodGarbageCollector(settings.terminatedPodGcThreshold(), settings.podGcPeriod()),
                () -> new HorizontalPodAutoscalerController(settings.hpaSyncPeriod()),
                () -> new NodeLifecycleController(settings.nodeMonitoring().gracePeriod(),
                        settings.nodeMonitoring().period(), settings.nodeMonitoring().evictionRate())));
        RootCaCertPublisher.caBundleOf(config).ifPresentOrElse(ca -> controllers.add(() -> new RootCaCertPublisher(ca)),
                () -> LOG.warn("the controller manager's kubeconfig names no CA: no kube-root-ca.crt ConfigMaps are published"));
        if (settings.csrSigning() != null) {
            ControllerManagerSettings.CsrSigning signing = settings.csrSigning();
            controllers.add(() -> CsrSigningController.fromFiles(signing.certificate(), signing.key(),
                    signing.maximumDuration()));
        }
        ControllerManager manager = new ControllerManager(client, registry, settings, controllers);
        manager.elect();
        return manager;
    }

    private void elect() {
        if (closing) {
            return;
        }
        var elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(settings.leaseName())
                .withLock(new LeaseLock(settings.leaseNamespace(), settings.leaseName(), settings.identity()))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading,
                        this::newLeader))
                .build()).build();
        CompletableFuture<?> started = elector.start();
        election = started;
        started.whenComplete((ignored, error) -> {
            if (!closing) {
                LOG.info("controller manager {} lost its lease; standing for election again", settings.identity());
                terms.execute(this::elect);
            }
        });
    }

    private void newLeader(String leader) {
        // Empty while the lease is released and not yet taken.
        if (leader != null && !leader.isEmpty()) {
            LOG.info("controller-manager leader is now {}", leader);
        }
    }

    private void startedLeading() {
        leading = true;
        LOG.info("controller manager {} is the leader; starting controllers", settings.identity());
        terms.execute(() -> {
            LeaderTerm next;
            // With close under one lock: a term is either seen (and closed) by close, or never made.
            synchronized (termLock) {
                if (!leading || closing) {
                    return;
                }
                next = new LeaderTerm(client, registry, settings.resync(), controllers);
                term = next;
            }
            next.start();
        });
    }

    private void stoppedLeading() {
        leading = false;
        if (!closing) {
            terms.execute(this::endTerm);
        }
    }

    private void endTerm() {
        LeaderTerm current;
        synchronized (termLock) {
            current = term;
            term = null;
        }
        if (current != null) {
            LOG.info("controller manager {} stops its controllers", settings.identity());
            current.close();
        }
    }

    public boolean isLeader() {
        return leading;
    }

    public String identity() {
        return settings.identity();
    }

    /** Stops the controllers, releases the lease, closes the client. */
    @Override
    public void close() {
        LeaderTerm running;
        synchronized (termLock) {
            closing = true;
            running = term;
            term = null;
        }
        CompletableFuture<?> current = election;
        if (current != null) {
            current.cancel(true);
        }
        if (running != null) {
            running.close();
        }
        terms.shutdownNow();
        try {
            terms.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leading = false;
        client.close();
    }
}
