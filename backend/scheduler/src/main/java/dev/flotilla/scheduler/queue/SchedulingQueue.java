package dev.flotilla.scheduler.queue;

import dev.flotilla.scheduler.cache.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Upstream's three-part scheduling queue. {@code activeQ} is ordered by priority, then by when the
 * pod was queued; a pod that failed waits out a back-off (by default 1 s doubling to 10 s) in {@code backoffQ};
 * a pod no node fits parks in the unschedulable pool until a cluster event that may make it fit
 * ({@link #moveAllToActiveOrBackoff}) or until it has lingered for five minutes.
 *
 * <p>If such an event arrives while a pod is being scheduled, that pod goes to back-off rather than
 * the pool when it fails, so the event is not lost.
 */
public final class SchedulingQueue {

    public enum Part { ACTIVE, BACKOFF, UNSCHEDULABLE, IN_FLIGHT }

    static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_UNSCHEDULABLE_STAY = Duration.ofMinutes(5);

    private final LongSupplier nanoClock;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<QueuedPod> active = new PriorityQueue<>(
            Comparator.comparingInt((QueuedPod p) -> p.info().priority()).reversed()
                    .thenComparingLong(p -> p.addedNanos));
    private final Map<String, QueuedPod> backoff = new HashMap<>();
    private final Map<String, QueuedPod> unschedulable = new HashMap<>();
    private final Map<String, QueuedPod> inFlight = new HashMap<>();
    private final Map<String, Part> parts = new HashMap<>();
    private long schedulingCycle;
    private long moveRequestCycle = -1;
    private boolean closed;

    public SchedulingQueue() {
        this(DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
    }

    /** Back-off of a failed pod: {@code initialBackoff} doubling up to {@code maxBackoff} (podInitialBackoffSeconds, podMaxBackoffSeconds). */
    public SchedulingQueue(Duration initialBackoff, Duration maxBackoff) {
        this(System::nanoTime, initialBackoff, maxBackoff);
    }

    SchedulingQueue(LongSupplier nanoClock) {
        this(nanoClock, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
    }

    SchedulingQueue(LongSupplier nanoClock, Duration initialBackoff, Duration maxBackoff) {
        this.nanoClock = nanoClock;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** A new pending pod, or a newer version of one already known. */
    public void addOrUpdate(PodInfo info) {
        lock.lock();
        try {
            Part part = parts.get(info.key());
            if (part == null) {
                QueuedPod pod = new QueuedPod(info, nanoClock.getAsLong());
                active.add(pod);
                parts.put(info.key(), Part.ACTIVE);
                changed.signalAll();
                return;
            }
            switch (part) {
                case ACTIVE -> {
                    QueuedPod pod = findActive(info.key());
                    active.remove(pod);
                    pod.setInfo(info);
                    active.add(pod);
                }
                case BACKOFF -> backoff.get(info.key()).setInfo(info);
                case IN_FLIGHT -> inFlight.get(info.key()).setInfo(info);
                case UNSCHEDULABLE -> {
                    QueuedPod pod = unschedulable.get(info.key());
                    boolean mayNowFit = schedulingRelevantChange(pod.info().pod(), info.pod());
                    pod.setInfo(info);
                    if (mayNowFit) {
                        unschedulable.remove(info.key());
                        activateOrBackoff(pod);
                    }
                }
                default -> throw new IllegalStateException();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Recomputes every queued pod's info (its priority may name a PriorityClass that arrived after
     * the pod) and reorders activeQ.
     */
    public void refresh(java.util.function.UnaryOperator<PodInfo> recompute) {
        lock.lock();
        try {
            List<QueuedPod> activePods = new ArrayList<>(active);
            active.clear();
            for (QueuedPod pod : activePods) {
                pod.setInfo(recompute.apply(pod.info()));
            }
            active.addAll(activePods);
            for (Map<String, QueuedPod> part : List.of(backoff, unschedulable, inFlight)) {
                for (QueuedPod pod : part.values()) {
                    pod.setInfo(recompute.apply(pod.info()));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public void delete(String key) {
        lock.lock();
        try {
            Part part = parts.remove(key);
            if (part == null) {
                return;
            }
            switch (part) {
                case ACTIVE -> active.remove(findActive(key));
                case BACKOFF -> backoff.remove(key);
                case UNSCHEDULABLE -> unschedulable.remove(key);
                case IN_FLIGHT -> inFlight.remove(key);
                default -> throw new IllegalStateException();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next pod to schedule, waiting up to {@code timeout}; null on timeout or once closed. */
    public QueuedPod pop(Duration timeout) throws InterruptedException {
        long deadline = nanoClock.getAsLong() + timeout.toNanos();
        lock.lock();
        try {
            while (!closed) {
                flushBackoffAndLingering();
                QueuedPod pod = active.poll();
                if (pod != null) {
                    pod.attempts++;
                    pod.lastAttemptNanos = nanoClock.getAsLong();
                    pod.cycle = ++schedulingCycle;
                    inFlight.put(pod.key(), pod);
                    parts.put(pod.key(), Part.IN_FLIGHT);
                    return pod;
                }
                long now = nanoClock.getAsLong();
                if (now >= deadline) {
                    return null;
                }
                long wait = Math.min(deadline - now, nextBackoffExpiry(now));
                changed.awaitNanos(Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1)));
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** The pod was bound (or will not be scheduled any more): it leaves the queue. */
    public void done(String key) {
        lock.lock();
        try {
            if (inFlight.remove(key) != null) {
                parts.remove(key);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * No node fits: to the unschedulable pool, or to back-off if a cluster event happened while it
     * was being scheduled. A pod deleted meanwhile stays gone.
     */
    public void requeueUnschedulable(QueuedPod pod) {
        lock.lock();
        try {
            if (inFlight.remove(pod.key()) == null) {
                return;
            }
            if (moveRequestCycle >= pod.cycle) {
                backoff.put(pod.key(), pod);
                parts.put(pod.key(), Part.BACKOFF);
            } else {
                unschedulable.put(pod.key(), pod);
                parts.put(pod.key(), Part.UNSCHEDULABLE);
            }
        } finally {
            lock.unlock();
        }
    }

    /** An error (a failed binding, an API error): try again after the back-off. */
    public void requeueAfterError(QueuedPod pod) {
        lock.lock();
        try {
            if (inFlight.remove(pod.key()) == null) {
                return;
            }
            backoff.put(pod.key(), pod);
            parts.put(pod.key(), Part.BACKOFF);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A cluster event that may make parked pods fit (node added or changed, pod deleted, …). */
    public void moveAllToActiveOrBackoff() {
        moveToActiveOrBackoffIf(pod -> true);
    }

    /**
     * A cluster event that can only help some parked pods (e.g. a pod bound somewhere helps pods
     * with required pod affinity or topology spread): moves those, and sends such a pod in flight
     * to back-off should it fail.
     */
    public void moveToActiveOrBackoffIf(java.util.function.Predicate<PodInfo> helped) {
        lock.lock();
        try {
            if (inFlight.values().stream().anyMatch(pod -> helped.test(pod.info()))) {
                moveRequestCycle = schedulingCycle;
            }
            if (unschedulable.isEmpty()) {
                return;
            }
            List<QueuedPod> moving = new ArrayList<>();
            for (Iterator<QueuedPod> it = unschedulable.values().iterator(); it.hasNext(); ) {
                QueuedPod pod = it.next();
                if (helped.test(pod.info())) {
                    it.remove();
                    moving.add(pod);
                }
            }
            for (QueuedPod pod : moving) {
                activateOrBackoff(pod);
            }
        } finally {
            lock.unlock();
        }
    }

    public int size(Part part) {
        lock.lock();
        try {
            return switch (part) {
                case ACTIVE -> active.size();
                case BACKOFF -> backoff.size();
                case UNSCHEDULABLE -> unschedulable.size();
                case IN_FLIGHT -> inFlight.size();
            };
        } finally {
            lock.unlock();
        }
    }

    public Part partOf(String key) {
        lock.lock();
        try {
            return parts.get(key);
        } finally {
            lock.unlock();
        }
    }

    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    Duration backoffFor(int attempts) {
        Duration backoff = initialBackoff;
        for (int i = 1; i < attempts && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }

    private long backoffExpiry(QueuedPod pod) {
        return pod.lastAttemptNanos + backoffFor(pod.attempts).toNanos();
    }

    private void activateOrBackoff(QueuedPod pod) {
        if (pod.attempts > 0 && backoffExpiry(pod) > nanoClock.getAsLong()) {
            backoff.put(pod.key(), pod);
            parts.put(pod.key(), Part.BACKOFF);
        } else {
            active.add(pod);
            parts.put(pod.key(), Part.ACTIVE);
        }
        changed.signalAll();
    }

    private void flushBackoffAndLingering() {
        long now = nanoClock.getAsLong();
        for (Iterator<QueuedPod> it = backoff.values().iterator(); it.hasNext(); ) {
            QueuedPod pod = it.next();
            if (backoffExpiry(pod) <= now) {
                it.remove();
                active.add(pod);
                parts.put(pod.key(), Part.ACTIVE);
            }
        }
        for (Iterator<QueuedPod> it = unschedulable.values().iterator(); it.hasNext(); ) {
            QueuedPod pod = it.next();
            if (now - pod.lastAttemptNanos >= MAX_UNSCHEDULABLE_STAY.toNanos()) {
                it.remove();
                active.add(pod);
                parts.put(pod.key(), Part.ACTIVE);
            }
        }
    }

    private long nextBackoffExpiry(long now) {
        long next = TimeUnit.SECONDS.toNanos(1);
        for (QueuedPod pod : backoff.values()) {
            next = Math.min(next, backoffExpiry(pod) - now);
        }
        return next;
    }

    private QueuedPod findActive(String key) {
        for (QueuedPod pod : active) {
            if (pod.key().equals(key)) {
                return pod;
            }
        }
        throw new IllegalStateException("pod " + key + " not in activeQ");
    }

    /** As upstream: a change other than status, resourceVersion, generation or managed fields. */
    private static boolean schedulingRelevantChange(Pod before, Pod after) {
        return !Objects.equals(before.getSpec(), after.getSpec())
                || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                || !Objects.equals(before.getMetadata().getAnnotations(), after.getMetadata().getAnnotations());
    }
}
