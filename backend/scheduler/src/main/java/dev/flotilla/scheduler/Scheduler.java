package dev.flotilla.scheduler;

import dev.flotilla.scheduler.cache.SchedulerCache;
import dev.flotilla.scheduler.config.ProfileConfiguration;
import dev.flotilla.scheduler.config.SchedulerConfiguration;
import dev.flotilla.scheduler.framework.PodPlacement;
import dev.flotilla.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import dev.flotilla.scheduler.plugins.VolumeBinding;
import dev.flotilla.scheduler.plugins.VolumeStores;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler as an ordinary API client, scheduling the pods of each of its configured profiles'
 * {@code schedulerName}s. Informers on pods, nodes, namespaces, PriorityClasses,
 * PodDisruptionBudgets (for preemption), the volume objects (claims, PVs, StorageClasses) and (for
 * default topology spreading) Services, ReplicationControllers, ReplicaSets and StatefulSets keep the
 * cache and the queue current all the time; the scheduling loop runs only while this instance holds
 * its Lease ({@code kube-system/flotilla-scheduler} by default), so two instances never schedule at once.
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final KubernetesClient client;
    private final SchedulerSettings settings;
    private final SchedulerConfiguration configuration;
    private final MeterRegistry registry;
    private final SchedulerCache cache = new SchedulerCache();
    private final SchedulingQueue queue;
    private final List<SharedIndexInformer<?>> informers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private SharedIndexInformer<Pod> podInformer;
    private SharedIndexInformer<Namespace> namespaceInformer;
    private PriorityResolver priorities;
    private VolumeBinding volumeBinding;
    private VolumeStores volumeStores;
    private OwnerSelectors ownerSelectors;
    private SharedIndexInformer<PodDisruptionBudget> disruptionBudgets;
    private volatile CompletableFuture<?> election;
    private volatile boolean closed;
    private volatile boolean leading;
    private SchedulerMetrics metrics;
    private SchedulingLoop loop;
    private Thread loopThread;

    /** With upstream's default configuration: one profile, {@code default-scheduler}. */
    public Scheduler(KubernetesClient client, SchedulerSettings settings, MeterRegistry registry) {
        this(client, settings, SchedulerConfiguration.defaults(), registry);
    }

    /**
     * {@code configuration}: the profiles (one per schedulerName), queue settings and, if it names
     * one ({@code leaderElection.resourceNamespace/resourceName}), the Lease, from a configuration file.
     */
    public Scheduler(KubernetesClient client, SchedulerSettings settings, SchedulerConfiguration configuration,
            MeterRegistry registry) {
        this.client = client;
        this.settings = settings.withLease(
                configuration.leaseNamespace() == null ? settings.leaseNamespace() : configuration.leaseNamespace(),
                configuration.leaseName() == null ? settings.leaseName() : configuration.leaseName());
        this.configuration = configuration;
        this.registry = registry;
        this.queue = new SchedulingQueue(configuration.podInitialBackoff(), configuration.podMaxBackoff());
    }

    /** Starts the informers, waits for their first lists, then contests the Lease. */
    public synchronized void start() {
        SharedIndexInformer<PriorityClass> classes = client.scheduling().v1().priorityClasses().runnableInformer(0);
        priorities = new PriorityResolver(classes.getStore());
        ClusterEventHandlers handlers = new ClusterEventHandlers(cache, queue, priorities,
                java.util.Set.copyOf(configuration.schedulerNames()));
        classes.addEventHandler(handlers.priorityClasses());
        SharedIndexInformer<Node> nodes = client.nodes().runnableInformer(0);
        nodes.addEventHandler(handlers.nodes());
        podInformer = client.pods().inAnyNamespace().runnableInformer(0);
        podInformer.addEventHandler(handlers.pods());
        SharedIndexInformer<PersistentVolumeClaim> claims = client.persistentVolumeClaims().inAnyNamespace()
                .runnableInformer(0);
        SharedIndexInformer<PersistentVolume> volumes = client.persistentVolumes().runnableInformer(0);
        SharedIndexInformer<StorageClass> storageClasses = client.storage().v1().storageClasses().runnableInformer(0);
        claims.addEventHandler(handlers.volumeObjects());
        volumes.addEventHandler(handlers.volumeObjects());
        storageClasses.addEventHandler(handlers.volumeObjects());
        volumeStores = new VolumeStores(claims.getStore(), volumes.getStore(), storageClasses.getStore());
        volumeBinding = new VolumeBinding(claims.getStore(), volumes.getStore(), storageClasses.getStore(), client);
        namespaceInformer = client.namespaces().runnableInformer(0);
        SharedIndexInformer<Service> services = client.services().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<ReplicationController> replicationControllers =
                client.replicationControllers().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<ReplicaSet> replicaSets = client.apps().replicaSets().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<StatefulSet> statefulSets = client.apps().statefulSets().inAnyNamespace().runnableInformer(0);
        ownerSelectors = new OwnerSelectors(services.getIndexer(), replicationControllers.getStore(),
                replicaSets.getStore(), statefulSets.getStore());
        disruptionBudgets = client.policy().v1().podDisruptionBudget().inAnyNamespace().runnableInformer(0);
        informers.addAll(List.of(classes, nodes, podInformer, namespaceInformer, services, replicationControllers,
                replicaSets, statefulSets, disruptionBudgets, claims, volumes, storageClasses));
        List<CompletableFuture<Void>> synced = new ArrayList<>();
        for (SharedIndexInformer<?> informer : informers) {
            synced.add(informer.start().toCompletableFuture());
        }
        for (CompletableFuture<Void> sync : synced) {
            try {
                sync.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("scheduler informers did not sync: " + e.getMessage(), e);
            }
        }
        if (closed) {
            // Closed while the informers were syncing (a server stopped right after it started).
            informers.forEach(SharedIndexInformer::stop);
            return;
        }
        metrics = new SchedulerMetrics(registry, queue);
        contestLease();
        LOG.info("scheduler started as {} with profiles {}", settings.identity(), configuration.schedulerNames());
    }

    private void contestLease() {
        if (closed) {
            return;
        }
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(settings.leaseName())
                .withLock(new LeaseLock(settings.leaseNamespace(), settings.leaseName(), settings.identity()))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startLeading, this::stopLeading,
                        leader -> LOG.info("scheduler leader is now {}", leader)))
                .build()).build().start();
        // A lost Lease ends the election; contest it again, as a restarted upstream scheduler would.
        election.whenComplete((ok, error) -> {
            if (!closed) {
                contestLease();
            }
        });
    }

    private synchronized void startLeading() {
        if (closed || leading) {
            return;
        }
        leading = true;
        ApiRequests api = new ApiRequests(client);
        ProfileFactory factory = new ProfileFactory(this::namespaceLabels, ownerSelectors::of,
                namespace -> disruptionBudgets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace), volumeBinding,
                volumeStores);
        SchedulingOutcomes events = new SchedulingOutcomes(api, configuration.schedulerNames().get(0), settings.identity());
        java.util.Map<String, SchedulingProfile> profiles = new java.util.HashMap<>();
        for (ProfileConfiguration profile : configuration.profiles()) {
            String name = profile.schedulerName();
            SchedulingOutcomes outcomes = events.forProfile(name);
            int percentage = profile.percentageOfNodesToScore() != null ? profile.percentageOfNodesToScore()
                    : configuration.percentageOfNodesToScore();
            profiles.put(name, new SchedulingProfile(name, new PodPlacement(factory.build(profile), percentage), outcomes,
                    new VictimEviction(api, name, outcomes, podInformer.getStore(), priorities)));
        }
        loop = new SchedulingLoop(queue, cache, profiles, podInformer.getStore(), priorities,
                new PodBinder(api, settings.maxBindingsInFlight(), volumeBinding), metrics);
        loopThread = new Thread(loop, "scheduler-loop");
        loopThread.setDaemon(true);
        loopThread.start();
        LOG.info("scheduler {} is leading", settings.identity());
    }

    private synchronized void stopLeading() {
        if (!leading) {
            return;
        }
        leading = false;
        loop.stop();
        loopThread.interrupt();
        LOG.info("scheduler {} stopped leading", settings.identity());
    }

    private java.util.Map<String, String> namespaceLabels(String name) {
        Namespace namespace = namespaceInformer.getStore().getByKey(name);
        java.util.Map<String, String> labels = namespace == null ? null : namespace.getMetadata().getLabels();
        return labels == null ? java.util.Map.of() : labels;
    }

    public boolean isLeading() {
        return leading;
    }

    /** Stops scheduling, gives up the Lease and stops the informers. */
    @Override
    public void close() {
        closed = true;
        stopLeading();
        CompletableFuture<?> current = election;
        if (current != null) {
            current.cancel(true);
        }
        queue.close();
        if (volumeBinding != null) {
            volumeBinding.close();
        }
        for (SharedIndexInformer<?> informer : informers) {
            informer.stop();
        }
    }
}
