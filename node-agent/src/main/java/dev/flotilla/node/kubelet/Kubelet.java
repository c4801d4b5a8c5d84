package dev.flotilla.node.kubelet;

import dev.flotilla.node.cri.v1.ContainerFilter;
import dev.flotilla.node.cri.v1.PodSandboxFilter;
import dev.flotilla.node.probe.ActionRunner;
import dev.flotilla.node.probe.ProbeKind;
import dev.flotilla.node.probe.ProbeListener;
import dev.flotilla.node.probe.Prober;
import dev.flotilla.node.runtime.CriClient;
import dev.flotilla.node.volumes.PodVolumes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod side of the kubelet: watches the pods bound to this node, relists the runtime every
 * second (a PLEG: a pod whose sandboxes or containers changed is synced within a second), and syncs
 * each pod with {@link PodSyncer} on {@link PodWorkers}. Runtime parts of pods the API no longer has
 * are torn down once the informer has synced, so an agent restart adopts what is running instead.
 */
public final class Kubelet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
    static final Duration RELIST_PERIOD = Duration.ofSeconds(1);
    private static final int MAX_IMMEDIATE_STEPS = 8;
    static final Duration STATIC_POD_CHECK = Duration.ofSeconds(5);
    static final Duration VOLUME_SWEEP = Duration.ofSeconds(30);

    private final String nodeName;
    private final KubernetesClient client;
    private final CriClient cri;
    private final PodSyncer syncer;
    private final Prober prober;
    private final ExecutorService pool;
    private final ExecutorService terminations;
    private final ExecutorService stoppers;
    private final ScheduledExecutorService timers;
    private final PodWorkers workers;
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final Map<String, Integer> immediateSteps = new ConcurrentHashMap<>();
    /** Mirror pods seen from the API, by namespace/name; they are not run, their static pods are. */
    private final Map<String, Pod> mirrors = new ConcurrentHashMap<>();
    private final Set<String> staticUids = ConcurrentHashMap.newKeySet();
    private final StaticPods staticPods;
    private final MirrorPods mirrorPods;
    private final PodVolumes volumes;
    private final PodEvents events;
    private Map<String, String> fingerprints = new HashMap<>();
    private SharedIndexInformer<Pod> informer;
    private final PodAdmission admission;
    /** Pods this kubelet admitted (uid): admission is asked once, before a pod's first sandbox. */
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    /** The terminal status this kubelet wrote (an eviction or a refusal), kept until the API's copy shows it. */
    private final Map<String, io.fabric8.kubernetes.api.model.PodStatus> terminalWritten = new ConcurrentHashMap<>();
    /** Evictions asked for by the eviction manager, carried out on the pod's worker. */
    private final Map<String, Eviction> evictions = new ConcurrentHashMap<>();

    private record Eviction(long graceSeconds, String message, Map<String, String> annotations,
                            java.util.concurrent.CompletableFuture<Boolean> done) {
    }

    /**
     * {@code beforeSandbox} runs before each pod-network sandbox is created (the pod network's address
     * check); {@code manifestDir} is the static pod folder (null: none); pods' volumes live under
     * {@code podVolumesRoot}.
     */
    public Kubelet(String nodeName, String hostIp, Path podLogsRoot, Path podVolumesRoot, KubernetesClient client,
                   CriClient cri, Runnable beforeSandbox, Path manifestDir) {
        this(nodeName, hostIp, podLogsRoot, podVolumesRoot, client, cri, beforeSandbox, manifestDir, PodAdmission.ADMIT_ALL);
    }

    /** {@code admission} decides on each pod before its first sandbox (the eviction manager's pressure rules). */
    public Kubelet(String nodeName, String hostIp, Path podLogsRoot, Path podVolumesRoot, KubernetesClient client,
                   CriClient cri, Runnable beforeSandbox, Path manifestDir, PodAdmission admission) {
        this.admission = admission;
        this.nodeName = nodeName;
        this.client = client;
        this.cri = cri;
        this.staticPods = manifestDir == null ? null : new StaticPods(manifestDir, nodeName);
        this.mirrorPods = new MirrorPods(client, nodeName);
        // Eight pods' syncs at a time: a pod's start is CPU-bound (containerd, runc, the CNI plugins), and
        // running a whole burst at once only makes every pod late. A pod being deleted or gone from the API
        // is synced on a thread of its own instead, so one taking its grace period to stop never holds up
        // another pod's start.
        this.pool = Executors.newFixedThreadPool(8, daemon("pod-worker"));
        this.terminations = Executors.newCachedThreadPool(daemon("pod-termination"));
        this.stoppers = Executors.newCachedThreadPool(daemon("container-stop"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("kubelet-timer"));
        ActionRunner handlers = new ActionRunner(cri);
        this.prober = new Prober(handlers, new ProbeResults(), Clock.systemUTC());
        this.events = new PodEvents(client, nodeName, Clock.systemUTC());
        this.volumes = new PodVolumes(podVolumesRoot, client, nodeName, hostIp, Clock.systemUTC());
        this.syncer = new PodSyncer(cri, client, new SandboxConfigs(podLogsRoot),
                new ContainerConfigs(nodeName, hostIp, new EnvSources(client), volumes, new SecurityContexts(cri::imageStatus)), new PodStatuses(hostIp),
                Clock.systemUTC(), stoppers, beforeSandbox, prober, new LifecycleHooks(handlers), volumes, events,
                new ImagePuller(cri, new PullSecrets(client, events), events, Clock.systemUTC()));
        this.workers = new PodWorkers(pool, terminations, this::terminating, timers, this::sync);
    }

    public Kubelet start() {
        informer = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        if (MirrorPods.isMirror(pod)) {
                            mirrorSeen(pod);
                            return;
                        }
                        pods.put(pod.getMetadata().getUid(), pod);
                        workers.enqueue(pod.getMetadata().getUid());
                    }

                    @Override
                    public void onUpdate(Pod old, Pod pod) {
                        onAdd(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknownFinalState) {
                        if (MirrorPods.isMirror(pod)) {
                            mirrors.remove(key(pod));
                            return;
                        }
                        pods.remove(pod.getMetadata().getUid());
                        forget(pod.getMetadata().getUid());
                        workers.enqueue(pod.getMetadata().getUid());
                    }
                }, TimeUnit.SECONDS.toMillis(60));
        if (staticPods != null) {
            // Before the first relist, so that running static pods are adopted rather than torn down as orphans.
            syncStaticPods();
            timers.scheduleWithFixedDelay(this::syncStaticPodsQuietly, STATIC_POD_CHECK.toMillis(),
                    STATIC_POD_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        }
        timers.scheduleWithFixedDelay(this::relist, 0, RELIST_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        long refresh = PodVolumes.REFRESH_PERIOD.toMillis();
        timers.scheduleWithFixedDelay(this::refreshVolumes, refresh, refresh, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::removeLeftOverVolumes, VOLUME_SWEEP.toSeconds(), VOLUME_SWEEP.toSeconds(),
                TimeUnit.SECONDS);
        return this;
    }

    /** ConfigMaps, Secrets, tokens and the pod's own fields change without an event of the pod's runtime. */
    private void refreshVolumes() {
        pods.values().stream().filter(PodVolumes::hasApiBackedVolumes).forEach(p -> workers.enqueue(p.getMetadata().getUid()));
    }

    /** Volumes of pods neither in the API nor in the runtime (an agent stopped between the two removals). */
    private void removeLeftOverVolumes() {
        if (informer == null || !informer.hasSynced()) {
            return;
        }
        try {
            Set<String> keep = new java.util.HashSet<>(pods.keySet());
            keep.addAll(fingerprints.keySet());
            for (String uid : volumes.leftOver(keep)) {
                if (runtimePod(uid).sandboxes().isEmpty()) {
                    LOG.info("removing the volumes of pod {}, which is gone", uid);
                    volumes.tearDown(uid);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot remove left-over pod volumes: {}", e.getMessage());
        }
    }

    /** Reads the manifest folder: new or changed static pods are run, removed ones torn down; mirrors kept in step. */
    private void syncStaticPods() {
        Map<String, Pod> current = staticPods.read();
        for (String uid : Set.copyOf(staticUids)) {
            if (!current.containsKey(uid)) {
                Pod gone = pods.remove(uid);
                staticUids.remove(uid);
                workers.enqueue(uid);
                Pod mirror = gone == null ? null : mirrors.get(key(gone));
                if (mirror != null && uid.equals(mirror.getMetadata().getAnnotations().get(StaticPods.CONFIG_MIRROR))) {
                    mirrorPods.delete(mirror);
                }
            }
        }
        current.forEach((uid, pod) -> {
            Pod mirror = mirrors.get(key(pod));
            if (staticUids.add(uid)) {
                pods.put(uid, withMirrorStatus(pod, mirror));
                workers.enqueue(uid);
            }
            mirrorPods.ensure(pod, mirror);
        });
    }

    private void syncStaticPodsQuietly() {
        try {
            syncStaticPods();
        } catch (RuntimeException e) {
            LOG.warn("static pods from {}: {}", staticPods.folder(), e.getMessage());
        }
    }

    /** The kubelet writes a static pod's status to its mirror; keeping it here spares rewriting an unchanged one. */
    private void mirrorSeen(Pod mirror) {
        mirrors.put(key(mirror), mirror);
        String uid = mirror.getMetadata().getAnnotations().get(StaticPods.CONFIG_MIRROR);
        if (pods.computeIfPresent(uid, (k, staticPod) -> withMirrorStatus(staticPod, mirror)) != null) {
            workers.enqueue(uid); // a new mirror has no status yet; one that has the current status is left as it is
        }
    }

    private static Pod withMirrorStatus(Pod staticPod, Pod mirror) {
        if (mirror == null || !staticPod.getMetadata().getUid().equals(
                mirror.getMetadata().getAnnotations().get(StaticPods.CONFIG_MIRROR))) {
            return staticPod;
        }
        return new io.fabric8.kubernetes.api.model.PodBuilder(staticPod).withStatus(mirror.getStatus()).build();
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** The pods this kubelet runs, as last seen from the API (the kubelet API's {@code /pods}). */
    public List<Pod> pods() {
        return List.copyOf(pods.values());
    }

    /** The pod with this uid as last seen from the API (for the kubelet API's log lookups). */
    public Optional<Pod> pod(String namespace, String name) {
        return pods.values().stream().filter(p -> p.getMetadata().getNamespace().equals(namespace)
                && p.getMetadata().getName().equals(name)).findFirst();
    }

    private void relist() {
        try {
            Map<String, RuntimePod> runtime = RuntimePod.group(cri.listPodSandboxes(), cri.listContainers());
            Map<String, String> next = new HashMap<>();
            runtime.forEach((uid, pod) -> next.put(uid, pod.fingerprint()));
            for (var entry : next.entrySet()) {
                if (!entry.getValue().equals(fingerprints.get(entry.getKey()))) {
                    workers.enqueue(entry.getKey());
                }
            }
            for (String gone : fingerprints.keySet()) {
                if (!next.containsKey(gone)) {
                    workers.enqueue(gone);
                }
            }
            fingerprints = next;
        } catch (RuntimeException e) {
            LOG.debug("relist failed: {}", e.getMessage());
        }
    }

    private void sync(String uid) {
        RuntimePod runtime = runtimePod(uid);
        Pod pod = pods.get(uid);
        if (pod == null) {
            Eviction gone = evictions.remove(uid);
            if (gone != null) {
                gone.done().complete(false);
            }
            boolean hasParts = !runtime.sandboxes().isEmpty() || !runtime.containers().isEmpty();
            if (hasParts && informer.hasSynced()) {
                syncer.tearDown(runtime, orphanGrace(runtime), null);
            } else if (hasParts) {
                workers.enqueueAfter(uid, RELIST_PERIOD);
            }
            return;
        }
        pod = withTerminalWritten(uid, pod);
        Eviction eviction = evictions.remove(uid);
        if (eviction != null) {
            eviction.done().complete(evict(uid, pod, runtime, eviction));
            return;
        }
        if (!admitted(uid, pod, runtime)) {
            return;
        }
        Optional<Duration> wake = syncer.sync(pod, runtime);
        boolean acted = !runtimePod(uid).fingerprint().equals(runtime.fingerprint());
        // A step that created or started something is followed by the next one now rather than at the
        // next relist (pod startup is a few such steps); a bounded number in a row, so a step that keeps
        // changing the runtime falls back to the relist's pace.
        int steps = acted ? immediateSteps.merge(uid, 1, Integer::sum) : 0;
        if (!acted) {
            immediateSteps.remove(uid);
        }
        if (acted && steps <= MAX_IMMEDIATE_STEPS) {
            workers.enqueue(uid);
            return;
        }
        wake.ifPresent(delay -> workers.enqueueAfter(uid, delay));
    }

    /** Deleted (with its grace period running) or gone from the API: what is left is to stop it. */
    private boolean terminating(String uid) {
        Pod pod = pods.get(uid);
        return pod == null || pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Admits a pod before its first sandbox; a refused one is marked Failed and never run. */
    private boolean admitted(String uid, Pod pod, RuntimePod runtime) {
        if (admitted.contains(uid)) {
            return true;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean started = !runtime.sandboxes().isEmpty() || !runtime.containers().isEmpty();
        if (started || "Succeeded".equals(phase) || "Failed".equals(phase) || pod.getMetadata().getDeletionTimestamp() != null) {
            admitted.add(uid);
            return true;
        }
        Optional<PodAdmission.Refusal> refusal = admission.admit(pod);
        if (refusal.isEmpty()) {
            admitted.add(uid);
            return true;
        }
        LOG.info("{}: not admitted: {}", key(pod), refusal.get().message());
        terminalWritten.put(uid, syncer.reject(pod, refusal.get().reason(), refusal.get().message()));
        return false;
    }

    private boolean evict(String uid, Pod pod, RuntimePod runtime, Eviction eviction) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase) || pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        terminalWritten.put(uid, syncer.evict(pod, runtime, eviction.graceSeconds(), eviction.message(),
                eviction.annotations(), () -> runtimePod(uid)));
        return true;
    }

    /**
     * The status this kubelet made terminal stands until the API shows it: an informer event from
     * before the write must not bring a pod back to running.
     */
    private Pod withTerminalWritten(String uid, Pod pod) {
        io.fabric8.kubernetes.api.model.PodStatus written = terminalWritten.get(uid);
        if (written == null) {
            return pod;
        }
        if (pod.getStatus() != null && written.getPhase().equals(pod.getStatus().getPhase())) {
            terminalWritten.remove(uid);
            return pod;
        }
        return new io.fabric8.kubernetes.api.model.PodBuilder(pod).withStatus(written).build();
    }

    private void forget(String uid) {
        admitted.remove(uid);
        terminalWritten.remove(uid);
    }

    /**
     * The eviction manager's view of this kubelet: the pods it runs that are not terminal, and their
     * eviction on each pod's worker (waited for up to the grace period and a minute).
     */
    public dev.flotilla.node.eviction.EvictablePods evictablePods() {
        return new dev.flotilla.node.eviction.EvictablePods() {
            @Override
            public List<Pod> active() {
                return pods.values().stream().map(p -> withTerminalWritten(p.getMetadata().getUid(), p))
                        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                        .filter(p -> p.getStatus() == null || !("Succeeded".equals(p.getStatus().getPhase())
                                || "Failed".equals(p.getStatus().getPhase())))
                        .filter(p -> admitted.contains(p.getMetadata().getUid()))
                        .toList();
            }

            @Override
            public boolean evict(Pod pod, long gracePeriodSeconds, String message, Map<String, String> annotations) {
                String uid = pod.getMetadata().getUid();
                var done = new java.util.concurrent.CompletableFuture<Boolean>();
                evictions.put(uid, new Eviction(gracePeriodSeconds, message, annotations, done));
                workers.enqueue(uid);
                try {
                    return done.get(gracePeriodSeconds + 60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    LOG.warn("eviction of {} did not finish: {}", key(pod), e.toString());
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        };
    }

    /**
     * Whether the runtime's remains of a pod may all go (container GC): it was evicted, or the API
     * no longer has it once the informer has synced.
     */
    public dev.flotilla.node.eviction.PodStates podStates() {
        return uid -> {
            Pod pod = pods.get(uid);
            if (pod == null) {
                return informer != null && informer.hasSynced() && !staticUids.contains(uid);
            }
            Pod seen = withTerminalWritten(uid, pod);
            return seen.getStatus() != null && "Failed".equals(seen.getStatus().getPhase())
                    && PodSyncer.EVICTED.equals(seen.getStatus().getReason());
        };
    }

    /** The pod's parts right now (not the last relist's), so a sync never acts on a stale view. */
    private RuntimePod runtimePod(String uid) {
        var sandboxes = cri.listPodSandboxes(PodSandboxFilter.newBuilder().putLabelSelector(PodLabels.POD_UID, uid).build());
        var containers = cri.listContainers(ContainerFilter.newBuilder().putLabelSelector(PodLabels.POD_UID, uid).build());
        return new RuntimePod(uid, sandboxes, containers);
    }

    private static long orphanGrace(RuntimePod runtime) {
        return runtime.sandboxes().stream().map(s -> s.getAnnotationsMap().get(PodLabels.GRACE_PERIOD))
                .filter(v -> v != null).mapToLong(Long::parseLong).max().orElse(30);
    }

    /** Probe results reach the pod's worker: a status to rewrite, or a container to kill and restart. */
    private final class ProbeResults implements ProbeListener {

        @Override
        public void resultChanged(String podUid) {
            workers.enqueue(podUid);
        }

        @Override
        public void unhealthy(String podUid, String containerId, io.fabric8.kubernetes.api.model.Container container,
                              ProbeKind kind, String message, long graceSeconds) {
            Pod pod = pods.get(podUid);
            if (pod == null) {
                return;
            }
            LOG.info("{}: container {} failed {} probe, will be restarted ({})", key(pod), container.getName(),
                    kind.label().toLowerCase(), message);
            events.warning(pod, "Unhealthy", kind.label() + " probe failed: " + message);
            stoppers.execute(() -> {
                try {
                    syncer.kill(pod, containerId, container.getName(), graceSeconds);
                } catch (RuntimeException e) {
                    LOG.warn("cannot kill {} of {}: {}", container.getName(), key(pod), e.getMessage());
                }
                workers.enqueue(podUid);
            });
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        timers.shutdownNow();
        prober.close();
        events.close();
        pool.shutdownNow();
        terminations.shutdownNow();
        stoppers.shutdownNow();
    }
}
