package dev.flotilla.node.kubelet;

import dev.flotilla.node.cri.v1.Container;
import dev.flotilla.node.cri.v1.ContainerFilter;
import dev.flotilla.node.cri.v1.ContainerState;
import dev.flotilla.node.cri.v1.PodSandbox;
import dev.flotilla.node.cri.v1.PodSandboxConfig;
import dev.flotilla.node.probe.Prober;
import dev.flotilla.node.runtime.CriClient;
import dev.flotilla.node.volumes.PodVolumes;
import dev.flotilla.node.volumes.VolumeSetupException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one pod's runtime state to what its spec asks, one step per call, and writes its status
 * when it changed: a sandbox, then the init containers one at a time in order, then the containers;
 * restarts per restartPolicy with {@link RestartBackOff}; on deletion stops the containers with the
 * grace period, removes them and the sandbox, then deletes the pod object with grace 0.
 */
final class PodSyncer {

    private static final Logger LOG = LoggerFactory.getLogger(PodSyncer.class);

    private final CriClient cri;
    private final KubernetesClient client;
    private final SandboxConfigs sandboxes;
    private final ContainerConfigs containers;
    private final PodStatuses statuses;
    private final RestartBackOff backOff = new RestartBackOff();
    private final Clock clock;
    private final ExecutorService stoppers;
    private final Runnable beforeSandbox;
    private final Prober prober;
    private final LifecycleHooks hooks;
    private final PodVolumes volumes;
    private final PodEvents events;
    private final ImagePuller images;
    private static final Duration CONFIG_RETRY = Duration.ofSeconds(2);
    /** Upstream's floor for the stop signal's grace after a preStop hook used up the pod's. */
    private static final long MIN_GRACE_AFTER_HOOK = 2;
    /** CRI status by container id; an exited container's never changes again. */
    private final Map<String, ContainerView> views = new ConcurrentHashMap<>();
    /** The last volume setup failure by pod uid, logged once rather than at every retry. */
    private final Map<String, String> volumeFailures = new ConcurrentHashMap<>();
    /** The last CreateContainerError by pod uid/container: retried after a doubling delay, not at every status echo. */
    private final Map<String, CreateFailure> createFailures = new ConcurrentHashMap<>();
    private static final Duration CREATE_RETRY_MAX = Duration.ofMinutes(1);

    private record CreateFailure(ContainerWaiting waiting, Instant retryAt, Duration delay) {
    }

    PodSyncer(CriClient cri, KubernetesClient client, SandboxConfigs sandboxes, ContainerConfigs containers,
              PodStatuses statuses, Clock clock, ExecutorService stoppers, Runnable beforeSandbox,
              Prober prober, LifecycleHooks hooks, PodVolumes volumes, PodEvents events, ImagePuller images) {
        this.cri = cri;
        this.client = client;
        this.sandboxes = sandboxes;
        this.containers = containers;
        this.statuses = statuses;
        this.clock = clock;
        this.stoppers = stoppers;
        this.beforeSandbox = beforeSandbox;
        this.prober = prober;
        this.hooks = hooks;
        this.volumes = volumes;
        this.events = events;
        this.images = images;
    }

    /** One step for {@code pod}; returns when to look again if nothing else will trigger it (a back-off). */
    Optional<Duration> sync(Pod pod, RuntimePod runtime) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            tearDown(runtime, SandboxConfigs.gracePeriodSeconds(pod), pod);
            deleteObject(pod);
            return Optional.empty();
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            prober.forgetPod(pod.getMetadata().getUid());
            stopAll(runtime, SandboxConfigs.gracePeriodSeconds(pod), pod);
            runtime.sandboxes().forEach(s -> cri.stopPodSandbox(s.getId()));
            volumes.tearDown(pod.getMetadata().getUid());
            return Optional.empty();
        }
        if (!setUpVolumes(pod, runtime)) {
            return Optional.of(CONFIG_RETRY);
        }
        PodSandboxConfig sandboxConfig = sandboxes.config(pod, runtime.sandboxes().size());
        Optional<PodSandbox> sandbox = runtime.readySandbox();
        if (sandbox.isEmpty()) {
            stopAll(runtime, 0, pod);
            try {
                images.ensureSandboxImage(dev.flotilla.node.images.BaseImages.PAUSE);
                if (!Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
                    beforeSandbox.run();
                }
                cri.runPodSandbox(sandboxConfig);
            } catch (RuntimeException e) {
                LOG.warn("cannot create the sandbox of {}: {}", key(pod), e.getMessage());
                return Optional.of(Duration.ofSeconds(2));
            }
            return Optional.empty(); // the relist sees the new sandbox and calls again
        }
        String sandboxId = sandbox.get().getId();
        String podIp = podIp(pod, sandboxId);
        Map<String, ContainerWaiting> waiting = new HashMap<>();
        Optional<Duration> wake = step(pod, runtime, sandboxId, sandboxConfig, podIp, waiting);
        Map<String, List<ContainerView>> attempts = attempts(pod, runtime, sandboxId);
        String reachableIp = reachableIp(pod, podIp);
        trackProbes(pod, reachableIp, attempts);
        writeStatus(pod, attempts, reachableIp, waiting, true);
        if (waiting.values().stream().anyMatch(w -> w.reason().equals("CreateContainerConfigError")
                || w.reason().equals("CreateContainerError"))
                && (wake.isEmpty() || CONFIG_RETRY.compareTo(wake.get()) < 0)) {
            // A ConfigMap or Secret created later is no event of this pod's, nor a runtime that now agrees: look again.
            return Optional.of(CONFIG_RETRY);
        }
        return wake;
    }

    /**
     * Sets up (or refreshes) the pod's volumes; false when a pod not yet started cannot have them, its
     * containers then wait in ContainerCreating with the reason. A running pod keeps what it has.
     */
    private boolean setUpVolumes(Pod pod, RuntimePod runtime) {
        String uid = pod.getMetadata().getUid();
        try {
            volumes.setUp(pod);
            volumeFailures.remove(uid);
            return true;
        } catch (VolumeSetupException e) {
            if (!e.getMessage().equals(volumeFailures.put(uid, e.getMessage()))) {
                LOG.warn("{}: {}", key(pod), e.getMessage());
            }
            events.warning(pod, "FailedMount", e.getMessage());
            if (!runtime.containers().isEmpty()) {
                return true;
            }
            Map<String, ContainerWaiting> waiting = new HashMap<>();
            concat(pod.getSpec().getInitContainers(), pod.getSpec().getContainers()).forEach(c ->
                    waiting.put(c.getName(), new ContainerWaiting(ContainerWaiting.CREATING.reason(), e.getMessage())));
            writeStatus(pod, Map.of(), null, waiting, false);
            return false;
        }
    }

    private Optional<Duration> step(Pod pod, RuntimePod runtime, String sandboxId, PodSandboxConfig sandboxConfig,
                                    String podIp, Map<String, ContainerWaiting> waiting) {
        String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        for (io.fabric8.kubernetes.api.model.Container init : list(pod.getSpec().getInitContainers())) {
            List<ContainerView> attempts = attempts(runtime, init.getName(), sandboxId);
            if (attempts.isEmpty()) {
                return start(pod, init, 0, sandboxId, sandboxConfig, podIp, waiting);
            }
            ContainerView latest = attempts.get(0);
            if (latest.succeeded()) {
                continue;
            }
            if (!latest.exited() || policy.equals("Never")) {
                return Optional.empty();
            }
            return restartAfterBackOff(pod, init, latest, sandboxId, sandboxConfig, podIp, waiting);
        }
        Optional<Duration> wake = Optional.empty();
        for (io.fabric8.kubernetes.api.model.Container container : pod.getSpec().getContainers()) {
            List<ContainerView> attempts = attempts(runtime, container.getName(), sandboxId);
            if (attempts.isEmpty()) {
                int attempt = nextAttempt(runtime, container.getName());
                wake = earliest(wake, start(pod, container, attempt, sandboxId, sandboxConfig, podIp, waiting));
                continue;
            }
            ContainerView latest = attempts.get(0);
            boolean restart = latest.exited() && (policy.equals("Always")
                    || (policy.equals("OnFailure") && latest.status().getExitCode() != 0));
            if (restart) {
                wake = earliest(wake, restartAfterBackOff(pod, container, latest, sandboxId, sandboxConfig, podIp, waiting));
            }
        }
        return wake;
    }

    private Optional<Duration> restartAfterBackOff(Pod pod, io.fabric8.kubernetes.api.model.Container container,
                                                   ContainerView latest, String sandboxId,
                                                   PodSandboxConfig sandboxConfig, String podIp,
                                                   Map<String, ContainerWaiting> waiting) {
        String key = pod.getMetadata().getUid() + "/" + container.getName();
        Instant now = clock.instant();
        Duration left = backOff.remaining(key, latest.finishedAt(), now);
        if (!left.isZero()) {
            events.warning(pod, "BackOff", "Back-off restarting failed container " + container.getName() + " in pod "
                    + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid()
                    + ")");
            waiting.put(container.getName(), new ContainerWaiting("CrashLoopBackOff", "back-off "
                    + backOff.current(key).toSeconds() + "s restarting failed container=" + container.getName()
                    + " pod=" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
                    + pod.getMetadata().getUid() + ")"));
            return Optional.of(left);
        }
        backOff.restarted(key, latest.finishedAt(), now);
        removeOlderThan(latest, pod, container.getName(), sandboxId);
        return start(pod, container, latest.attempt() + 1, sandboxId, sandboxConfig, podIp, waiting);
    }

    private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isPresent() && b.get().compareTo(a.get()) < 0 ? b : a;
    }

    /** Creates and starts one container attempt; returns when to look again when its image is not there yet. */
    private Optional<Duration> start(Pod pod, io.fabric8.kubernetes.api.model.Container container, int attempt, String sandboxId,
                       PodSandboxConfig sandboxConfig, String podIp, Map<String, ContainerWaiting> waiting) {
        String uid = pod.getMetadata().getUid();
        String key = uid + "/" + container.getName();
        CreateFailure failed = createFailures.get(key);
        if (failed != null && clock.instant().isBefore(failed.retryAt())) {
            waiting.put(container.getName(), failed.waiting());
            return Optional.empty();
        }
        try {
            ImagePuller.Outcome image = images.ensure(pod, container);
            if (!image.ready()) {
                waiting.put(container.getName(), image.waiting());
                return Optional.of(image.retryIn());
            }
            String id = cri.createContainer(sandboxId, containers.config(pod, container, attempt, podIp), sandboxConfig);
            events.normal(pod, "Created", "Created container " + container.getName());
            try {
                cri.startContainer(id);
            } catch (StatusRuntimeException e) {
                // The runtime records the attempt as exited (StartError, 128): restarted with back-off like a crash.
                String why = e.getStatus().getDescription();
                LOG.warn("cannot start {} of {}: {}", container.getName(), key(pod), why);
                events.warning(pod, "Failed", "Error: " + why);
                waiting.put(container.getName(), new ContainerWaiting("RunContainerError", why));
                createFailures.remove(key);
                return Optional.empty();
            }
            events.normal(pod, "Started", "Started container " + container.getName());
            Optional<String> hookFailure = hooks.postStart(container, id, reachableIp(pod, podIp));
            if (hookFailure.isPresent()) {
                // As upstream: the container is killed and restarted per restartPolicy.
                LOG.warn("postStart hook of {} in {} failed: {}", container.getName(), key(pod), hookFailure.get());
                events.warning(pod, "FailedPostStartHook", hookFailure.get());
                stop(pod, id, container.getName(), SandboxConfigs.gracePeriodSeconds(pod));
                waiting.put(container.getName(), new ContainerWaiting("PostStartHookError", hookFailure.get()));
            }
            createFailures.remove(key);
        } catch (StatusRuntimeException e) {
            LOG.warn("cannot start {} of {}: {}", container.getName(), key(pod), e.getStatus().getDescription());
            ContainerWaiting why = new ContainerWaiting("CreateContainerError", e.getStatus().getDescription());
            events.warning(pod, "Failed", "Error: " + e.getStatus().getDescription());
            Duration delay = failed == null ? CONFIG_RETRY
                    : failed.delay().multipliedBy(2).compareTo(CREATE_RETRY_MAX) > 0 ? CREATE_RETRY_MAX : failed.delay().multipliedBy(2);
            createFailures.put(key, new CreateFailure(why, clock.instant().plus(delay), delay));
            waiting.put(container.getName(), why);
        } catch (ContainerConfigException e) {
            events.warning(pod, "Failed", "Error: " + e.getMessage());
            waiting.put(container.getName(), new ContainerWaiting("CreateContainerConfigError", e.getMessage()));
        }
        return Optional.empty();
    }

    /** Keeps the newest dead attempt (for {@code logs --previous}); removes older ones. */
    private void removeOlderThan(ContainerView latest, Pod pod, String name, String sandboxId) {
        cri.listContainers(ContainerFilter.newBuilder().putLabelSelector(PodLabels.POD_UID, pod.getMetadata().getUid())
                        .build()).stream()
                .filter(c -> c.getMetadata().getName().equals(name) && c.getMetadata().getAttempt() < latest.attempt())
                .forEach(c -> {
                    cri.removeContainer(c.getId());
                    views.remove(c.getId());
                });
    }

    private static int nextAttempt(RuntimePod runtime, String name) {
        return runtime.attempts(name).stream().mapToInt(c -> c.getMetadata().getAttempt() + 1).max().orElse(0);
    }

    private List<ContainerView> attempts(RuntimePod runtime, String name, String sandboxId) {
        List<ContainerView> result = new ArrayList<>();
        for (Container container : runtime.attempts(name)) {
            if (container.getPodSandboxId().equals(sandboxId)) {
                view(container).ifPresent(result::add);
            }
        }
        return result;
    }

    private Optional<ContainerView> view(Container container) {
        ContainerView cached = views.get(container.getId());
        if (cached != null && cached.status().getState() == container.getState()) {
            return Optional.of(cached);
        }
        Optional<ContainerView> fresh = cri.containerStatus(container.getId()).map(ContainerView::new);
        fresh.ifPresent(v -> views.put(container.getId(), v));
        return fresh;
    }

    private String podIp(Pod pod, String sandboxId) {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return null; // the host's address, set by PodStatuses
        }
        return cri.podSandboxStatus(sandboxId).map(s -> s.getNetwork().getIp()).filter(ip -> !ip.isEmpty()).orElse(null);
    }

    /** Every attempt of each of the pod's containers in this sandbox, newest first, by container name. */
    private Map<String, List<ContainerView>> attempts(Pod pod, RuntimePod runtime, String sandboxId) {
        Map<String, List<ContainerView>> all = new HashMap<>();
        for (var container : concat(pod.getSpec().getInitContainers(), pod.getSpec().getContainers())) {
            all.put(container.getName(), attempts(runtime, container.getName(), sandboxId));
        }
        return all;
    }

    private void trackProbes(Pod pod, String podIp, Map<String, List<ContainerView>> attempts) {
        List<Prober.Running> running = new ArrayList<>();
        for (var container : pod.getSpec().getContainers()) {
            List<ContainerView> views = attempts.getOrDefault(container.getName(), List.of());
            if (!views.isEmpty() && views.get(0).running()) {
                running.add(new Prober.Running(views.get(0).id(), container, views.get(0).startedAt()));
            }
        }
        prober.track(pod.getMetadata().getUid(), podIp, SandboxConfigs.gracePeriodSeconds(pod), running);
    }

    private void writeStatus(Pod pod, Map<String, List<ContainerView>> all, String podIp,
                             Map<String, ContainerWaiting> waiting, boolean sandboxReady) {
        PodStatus status = statuses.build(pod, new PodStatuses.Observed(all, waiting, sandboxReady, podIp, probeResults),
                clock.instant());
        if (status.equals(pod.getStatus())) {
            return;
        }
        patchStatus(pod, status);
    }

    /**
     * Evicts the pod as upstream's eviction manager has the kubelet kill it: its containers stopped
     * within {@code graceSeconds}, its sandboxes stopped, then status phase Failed, reason Evicted,
     * {@code message} and a DisruptionTarget condition (TerminationByKubelet), and a Warning event
     * Evicted with {@code annotations}. {@code afterStop} reads the pod's runtime parts again. Returns
     * the status written.
     */
    PodStatus evict(Pod pod, RuntimePod runtime, long graceSeconds, String message, Map<String, String> annotations,
                    java.util.function.Supplier<RuntimePod> afterStop) {
        events.warning(pod, EVICTED, message, annotations);
        prober.forgetPod(pod.getMetadata().getUid());
        stopAll(runtime, graceSeconds, pod);
        runtime.sandboxes().forEach(s -> cri.stopPodSandbox(s.getId()));
        RuntimePod stopped = afterStop.get();
        String sandboxId = stopped.sandboxes().stream().max(java.util.Comparator.comparingLong(PodSandbox::getCreatedAt))
                .map(PodSandbox::getId).orElse("");
        Instant now = clock.instant();
        PodStatus built = statuses.build(pod, new PodStatuses.Observed(attempts(pod, stopped, sandboxId), Map.of(), false,
                null), now);
        List<io.fabric8.kubernetes.api.model.PodCondition> conditions = new ArrayList<>(list(built.getConditions()));
        conditions.removeIf(c -> c.getType().equals("DisruptionTarget"));
        conditions.add(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("DisruptionTarget")
                .withStatus("True").withReason("TerminationByKubelet").withMessage(message)
                .withLastTransitionTime(PodStatuses.time(now)).build());
        PodStatus status = new io.fabric8.kubernetes.api.model.PodStatusBuilder(built).withPhase("Failed")
                .withReason(EVICTED).withMessage(message).withConditions(conditions).build();
        patchStatus(pod, status);
        return status;
    }

    /**
     * Refuses a pod the node does not admit, as upstream's rejectPod: a Warning event with the reason
     * and message, status phase Failed with the reason and "Pod was rejected: " and the message.
     */
    PodStatus reject(Pod pod, String reason, String message) {
        events.warning(pod, reason, message);
        PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        PodStatus status = new io.fabric8.kubernetes.api.model.PodStatusBuilder(old).withPhase("Failed").withReason(reason)
                .withMessage("Pod was rejected: " + message).build();
        patchStatus(pod, status);
        return status;
    }

    static final String EVICTED = "Evicted";

    private void patchStatus(Pod pod, PodStatus status) {
        Pod update = new PodBuilder().withNewMetadata().withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace()).endMetadata().withStatus(status).build();
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(update).patchStatus();
        } catch (KubernetesClientException e) {
            LOG.debug("cannot write the status of {}: {}", key(pod), e.getMessage());
        }
    }

    /**
     * Stops every container (preStop hook, stop signal, SIGKILL after the grace period), the sandboxes,
     * and removes them all; {@code pod} is null for parts of a pod the API no longer has (no hooks then).
     */
    void tearDown(RuntimePod runtime, long graceSeconds, Pod pod) {
        prober.forgetPod(runtime.uid());
        stopAll(runtime, graceSeconds, pod);
        for (Container container : runtime.containers()) {
            cri.removeContainer(container.getId());
            views.remove(container.getId());
        }
        for (PodSandbox sandbox : runtime.sandboxes()) {
            cri.stopPodSandbox(sandbox.getId());
            cri.removePodSandbox(sandbox.getId());
        }
        volumes.tearDown(runtime.uid());
        volumeFailures.remove(runtime.uid());
        events.forgetPod(runtime.uid());
        backOff.forgetPod(runtime.uid());
        images.forgetPod(runtime.uid());
        createFailures.keySet().removeIf(k -> k.startsWith(runtime.uid() + "/"));
    }

    private void stopAll(RuntimePod runtime, long graceSeconds, Pod pod) {
        // In parallel, so that the pod's grace period bounds the whole stop, as upstream.
        CompletableFuture.allOf(runtime.containers().stream()
                .filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING)
                .map(c -> CompletableFuture.runAsync(() -> stop(pod, c.getId(), c.getMetadata().getName(), graceSeconds),
                        stoppers))
                .toArray(CompletableFuture[]::new)).join();
    }

    /** Kills a container a liveness or startup probe found unhealthy; the next sync restarts it per restartPolicy. */
    void kill(Pod pod, String containerId, String name, long graceSeconds) {
        stop(pod, containerId, name, graceSeconds);
    }

    /** The container's preStop hook (inside the grace period), then the stop signal and SIGKILL after what is left. */
    private void stop(Pod pod, String containerId, String name, long graceSeconds) {
        io.fabric8.kubernetes.api.model.Container spec = pod == null ? null : specNamed(pod, name);
        long left = graceSeconds;
        if (spec != null && graceSeconds > 0 && LifecycleHooks.hasPreStop(spec)) {
            Instant began = clock.instant();
            hooks.preStop(spec, containerId, reachableIp(pod, pod.getStatus() == null ? null : pod.getStatus().getPodIP()),
                    Duration.ofSeconds(graceSeconds)).ifPresent(failure ->
                    LOG.warn("preStop hook of {} in {} failed: {}", name, key(pod), failure));
            left = Math.max(MIN_GRACE_AFTER_HOOK, graceSeconds - Duration.between(began, clock.instant()).toSeconds());
        }
        if (pod != null) {
            events.normal(pod, "Killing", "Stopping container " + name);
        }
        cri.stopContainer(containerId, left);
    }

    private static io.fabric8.kubernetes.api.model.Container specNamed(Pod pod, String name) {
        return concat(pod.getSpec().getInitContainers(), pod.getSpec().getContainers()).stream()
                .filter(c -> c.getName().equals(name)).findFirst().orElse(null);
    }

    private String reachableIp(Pod pod, String podIp) {
        return Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) ? statuses.hostIp() : podIp;
    }

    private final PodStatuses.Probes probeResults = new PodStatuses.Probes() {
        @Override
        public boolean started(String containerId, io.fabric8.kubernetes.api.model.Container container) {
            return prober.started(containerId, container);
        }

        @Override
        public boolean ready(String containerId, io.fabric8.kubernetes.api.model.Container container) {
            return prober.ready(containerId, container);
        }
    };

    private void deleteObject(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            LOG.debug("cannot finish deleting {}: {}", key(pod), e.getMessage());
        }
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }

    private static List<io.fabric8.kubernetes.api.model.Container> concat(
            List<io.fabric8.kubernetes.api.model.Container> a, List<io.fabric8.kubernetes.api.model.Container> b) {
        List<io.fabric8.kubernetes.api.model.Container> all = new ArrayList<>(list(a));
        all.addAll(list(b));
        return all;
    }

    static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
}
