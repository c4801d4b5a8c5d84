package dev.flotilla.node.eviction;

import dev.flotilla.api.quota.PodUsage;
import dev.flotilla.api.scheduling.Tolerations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's eviction manager, as upstream's: every monitoring interval it observes the signals,
 * finds the thresholds met (a threshold met before stays met until its minimum reclaim is free too),
 * keeps a node condition for {@code evictionPressureTransitionPeriod} after its last threshold
 * cleared, and once a threshold has been met for its grace period (none for hard ones) first
 * reclaims node-level resources for disk signals (dead containers, unused images), then evicts one
 * pod per pass in {@link PodRanking}'s order, critical pods never. Before the thresholds, every pass evicts
 * the pods over their own local storage limits ({@link LocalStorageLimits}). It also admits new pods
 * ({@link #admit}) and runs image and container garbage collection on their periods.
 */
public final class EvictionManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EvictionManager.class);
    /** Upstream's grace period when a hard threshold evicts. */
    static final long IMMEDIATE_EVICTION_GRACE_SECONDS = 1;
    private static final long DEFAULT_POD_GRACE_SECONDS = 30;
    private static final List<String> CONDITION_ORDER = List.of(Signal.MEMORY_PRESSURE, Signal.DISK_PRESSURE,
            Signal.PID_PRESSURE);
    private static final Taint MEMORY_PRESSURE_TAINT = new TaintBuilder().withKey("node.kubernetes.io/memory-pressure")
            .withEffect("NoSchedule").build();

    private final EvictionSettings settings;
    private final SignalSource signals;
    private final PodUsages usages;
    private final NodeReclaim reclaim;
    private final Clock clock;
    private ScheduledExecutorService timers;

    private Map<Threshold, Instant> firstObservedAt = new HashMap<>();
    private Map<String, Instant> conditionsLastObservedAt = new HashMap<>();
    private List<Threshold> thresholdsMet = List.of();
    private volatile Set<String> nodeConditions = Set.of();
    private volatile Map<Signal, Observation> lastObservations = Map.of();

    public EvictionManager(EvictionSettings settings, SignalSource signals, PodUsages usages, NodeReclaim reclaim,
                           Clock clock) {
        this.settings = settings;
        this.signals = signals;
        this.usages = usages;
        this.reclaim = reclaim;
        this.clock = clock;
    }

    public EvictionSettings settings() {
        return settings;
    }

    /** Synchronizes every monitoring interval, the first right away. */
    public EvictionManager start(EvictablePods pods) {
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "eviction-manager");
            thread.setDaemon(true);
            return thread;
        });
        timers.scheduleWithFixedDelay(() -> {
            try {
                synchronize(pods);
            } catch (RuntimeException e) {
                LOG.warn("eviction pass failed: {}", e.getMessage());
            }
        }, 0, settings.monitoringInterval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** MemoryPressure, DiskPressure and PIDPressure as they are now (in that order), the ones that are True. */
    public Set<String> nodeConditions() {
        return nodeConditions;
    }

    /** The last observation of each signal. */
    public Map<Signal, Observation> lastObservations() {
        return lastObservations;
    }

    /**
     * Upstream's admission: under no pressure, or for a critical pod, admitted; under MemoryPressure
     * alone, every pod but a BestEffort one that does not tolerate the memory-pressure taint; under any
     * other condition none. The refusal is "The node had condition: [DiskPressure]. ".
     */
    public Optional<String> admit(Pod pod) {
        Set<String> conditions = nodeConditions;
        if (conditions.isEmpty() || CriticalPods.isCritical(pod)) {
            return Optional.empty();
        }
        if (conditions.equals(Set.of(Signal.MEMORY_PRESSURE))) {
            if (!PodUsage.bestEffort(pod)) {
                return Optional.empty();
            }
            var tolerations = pod.getSpec().getTolerations();
            if (tolerations != null && Tolerations.tolerates(tolerations, MEMORY_PRESSURE_TAINT)) {
                return Optional.empty();
            }
        }
        return Optional.of(EvictionMessages.nodeHadCondition(conditions));
    }

    /** One pass; {@code pods} null observes and updates the conditions only. Returns the pod evicted, if any. */
    public synchronized Optional<Pod> synchronize(EvictablePods pods) {
        Map<Signal, Observation> observations = signals.observe();
        List<Threshold> met = met(settings.thresholds(), observations, false);
        for (Threshold notResolved : met(thresholdsMet, observations, true)) {
            if (!met.contains(notResolved)) {
                met.add(notResolved);
            }
        }
        Instant now = clock.instant();
        Map<Threshold, Instant> first = new HashMap<>();
        for (Threshold threshold : met) {
            first.put(threshold, firstObservedAt.getOrDefault(threshold, now));
        }
        Map<String, Instant> lastObserved = new HashMap<>(conditionsLastObservedAt);
        met.forEach(t -> lastObserved.put(t.signal().condition(), now));
        Set<String> conditions = new LinkedHashSet<>();
        for (String condition : CONDITION_ORDER) {
            Instant last = lastObserved.get(condition);
            if (last != null && Duration.between(last, now).compareTo(settings.pressureTransitionPeriod()) < 0) {
                conditions.add(condition);
            }
        }
        lastObserved.keySet().retainAll(conditions);
        List<Threshold> graced = new ArrayList<>();
        for (Threshold threshold : met) {
            if (Duration.between(first.get(threshold), now).compareTo(threshold.gracePeriod()) >= 0) {
                graced.add(threshold);
            }
        }
        boolean changed = !conditions.equals(nodeConditions);
        firstObservedAt = first;
        conditionsLastObservedAt = lastObserved;
        thresholdsMet = List.copyOf(met);
        nodeConditions = java.util.Collections.unmodifiableSet(conditions);
        lastObservations = Map.copyOf(observations);
        if (changed) {
            LOG.info("node conditions now {} (thresholds met: {})", conditions, met.stream().map(this::describe).toList());
        }
        if (pods != null) {
            Optional<Pod> overLimit = evictOverLocalStorageLimits(pods);
            if (overLimit.isPresent()) {
                return overLimit;
            }
        }
        if (pods == null || graced.isEmpty()) {
            return Optional.empty();
        }
        graced.sort(Comparator.comparing((Threshold t) -> t.signal() != Signal.MEMORY_AVAILABLE)
                .thenComparing(Threshold::signal));
        Threshold toReclaim = graced.get(0);
        if (toReclaim.signal().reclaimableOnNode() && reclaimNodeLevelResources(toReclaim)) {
            return Optional.empty();
        }
        return evictOne(pods, toReclaim, observations.get(toReclaim.signal()));
    }

    /** Upstream's localStorageEviction: every pod over one of its local storage limits goes at once (grace 0). */
    private Optional<Pod> evictOverLocalStorageLimits(EvictablePods pods) {
        List<Pod> limited = pods.active().stream().filter(LocalStorageLimits::hasLimits).toList();
        if (limited.isEmpty()) {
            return Optional.empty();
        }
        Map<String, dev.flotilla.node.eviction.PodUsage> usage = usages.read();
        Pod first = null;
        for (Pod pod : limited) {
            Optional<String> message = LocalStorageLimits.exceeded(pod, usage.get(pod.getMetadata().getUid()));
            if (message.isEmpty()) {
                continue;
            }
            LOG.info("evicting {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), message.get());
            if (pods.evict(pod, 0, message.get(), Map.of()) && first == null) {
                first = pod;
            }
        }
        return Optional.ofNullable(first);
    }

    private Optional<Pod> evictOne(EvictablePods pods, Threshold threshold, Observation observation) {
        List<Pod> active = pods.active();
        if (active.isEmpty()) {
            LOG.info("{} threshold met ({}), but no pod to evict", threshold.signal(), describe(threshold));
            return Optional.empty();
        }
        Map<String, dev.flotilla.node.eviction.PodUsage> usage = usages.read();
        for (Pod pod : PodRanking.rank(active, threshold.signal(), usage)) {
            if (CriticalPods.isCritical(pod)) {
                LOG.info("cannot evict critical pod {}/{}", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
                continue;
            }
            EvictionMessages.Eviction eviction = EvictionMessages.evicted(threshold, observation, pod,
                    usage.get(pod.getMetadata().getUid()));
            long grace = gracePeriod(threshold, pod);
            LOG.info("evicting {}/{} (grace {} s): {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), grace,
                    eviction.message());
            if (pods.evict(pod, grace, eviction.message(), eviction.annotations())) {
                return Optional.of(pod);
            }
        }
        return Optional.empty();
    }

    /** Hard: upstream's immediate 1 s; soft: the pod's own grace period, at most evictionMaxPodGracePeriod. */
    long gracePeriod(Threshold threshold, Pod pod) {
        if (threshold.isHard()) {
            return IMMEDIATE_EVICTION_GRACE_SECONDS;
        }
        Long own = pod.getSpec().getTerminationGracePeriodSeconds();
        return Math.min(settings.maxPodGracePeriodSeconds(), own == null ? DEFAULT_POD_GRACE_SECONDS : own);
    }

    /** Dead containers, then unused images; true when the threshold (with its minimum reclaim) is then no longer met. */
    private boolean reclaimNodeLevelResources(Threshold threshold) {
        LOG.info("{} threshold met: {}", threshold.signal(), reclaim.reclaimDisk());
        Map<Signal, Observation> after = signals.observe();
        boolean resolved = !threshold.metBy(after.get(threshold.signal()), true);
        if (resolved) {
            LOG.info("{} threshold resolved by node-level reclaim", threshold.signal());
        }
        return resolved;
    }

    private static List<Threshold> met(List<Threshold> thresholds, Map<Signal, Observation> observations,
                                       boolean enforceMinReclaim) {
        List<Threshold> met = new ArrayList<>();
        for (Threshold threshold : thresholds) {
            if (threshold.metBy(observations.get(threshold.signal()), enforceMinReclaim)) {
                met.add(threshold);
            }
        }
        return met;
    }

    private String describe(Threshold threshold) {
        Observation observation = lastObservations.get(threshold.signal());
        return threshold.signal() + "<" + (threshold.percentage() >= 0 ? threshold.percentage() * 100 + "%"
                : EvictionMessages.bytes(threshold.quantity()))
                + (observation == null ? "" : " (available " + EvictionMessages.bytes(observation.available()) + ")");
    }

    @Override
    public void close() {
        if (timers != null) {
            timers.shutdownNow();
        }
    }
}
