package dev.flotilla.node.probe;

import io.fabric8.kubernetes.api.model.Container;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The kubelet's probe manager: one {@link ProbeWorker} per probe of every running container (by
 * runtime container id, so a restarted container starts its probes afresh), and the results the pod
 * status reads — {@code started} from the startup probe, {@code ready} from the readiness probe.
 */
public final class Prober implements AutoCloseable {

    /** A running container as the pod's sync saw it. */
    public record Running(String containerId, Container container, Instant startedAt) {
    }

    private record Tracked(String podUid, Map<ProbeKind, ProbeWorker> workers) {
    }

    private final ActionRunner runner;
    private final ProbeListener listener;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timers;
    private final Map<String, Tracked> byContainer = new ConcurrentHashMap<>();

    public Prober(ActionRunner runner, ProbeListener listener, Clock clock) {
        this.runner = runner;
        this.listener = listener;
        this.clock = clock;
        this.timers = new ScheduledThreadPoolExecutor(4, task -> {
            Thread thread = new Thread(task, "prober");
            thread.setDaemon(true);
            return thread;
        });
        this.timers.setRemoveOnCancelPolicy(true);
    }

    ActionRunner runner() {
        return runner;
    }

    ProbeListener listener() {
        return listener;
    }

    /** Starts probing the pod's running containers that have probes; stops probing its others. */
    public void track(String podUid, String podIp, long graceSeconds, List<Running> running) {
        Set<String> current = running.stream().map(Running::containerId).collect(Collectors.toSet());
        byContainer.entrySet().removeIf(entry -> {
            boolean gone = entry.getValue().podUid().equals(podUid) && !current.contains(entry.getKey());
            if (gone) {
                entry.getValue().workers().values().forEach(ProbeWorker::stop);
            }
            return gone;
        });
        for (Running container : running) {
            if (!hasProbes(container.container()) || byContainer.containsKey(container.containerId())) {
                continue;
            }
            Map<ProbeKind, ProbeWorker> workers = new EnumMap<>(ProbeKind.class);
            ActionTarget target = new ActionTarget(podIp, container.containerId(), container.container());
            for (ProbeKind kind : ProbeKind.values()) {
                if (kind.of(container.container()) != null) {
                    workers.put(kind, new ProbeWorker(kind, podUid, target, container.startedAt(), graceSeconds, this, clock));
                }
            }
            byContainer.put(container.containerId(), new Tracked(podUid, workers));
            workers.values().forEach(worker -> worker.scheduled(timers.scheduleWithFixedDelay(worker::run,
                    worker.firstRun().toMillis(), worker.period().toMillis(), TimeUnit.MILLISECONDS)));
        }
    }

    public void forgetPod(String podUid) {
        track(podUid, null, 0, List.of());
    }

    /** True once the container's startup probe succeeded, or at once when it has none. */
    public boolean started(String containerId, Container container) {
        return container.getStartupProbe() == null || result(containerId, ProbeKind.STARTUP);
    }

    /** Started, and its readiness probe (if any) succeeded last. */
    public boolean ready(String containerId, Container container) {
        return started(containerId, container)
                && (container.getReadinessProbe() == null || result(containerId, ProbeKind.READINESS));
    }

    private boolean result(String containerId, ProbeKind kind) {
        Tracked tracked = byContainer.get(containerId);
        ProbeWorker worker = tracked == null ? null : tracked.workers().get(kind);
        return worker != null && worker.result();
    }

    private static boolean hasProbes(Container container) {
        return container.getStartupProbe() != null || container.getLivenessProbe() != null
                || container.getReadinessProbe() != null;
    }

    @Override
    public void close() {
        timers.shutdownNow();
        runner.close();
    }
}
