package dev.flotilla.node.probe;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one probe of one container every {@code periodSeconds} with upstream's semantics: nothing
 * before {@code initialDelaySeconds} after the container started, liveness and readiness only once
 * the startup probe succeeded, a result flips after {@code successThreshold} successes or
 * {@code failureThreshold} failures in a row, and a failed liveness or startup probe stops the worker
 * (the container is restarted, and its new attempt gets new workers).
 */
final class ProbeWorker {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeWorker.class);

    final ProbeKind kind;
    private final String podUid;
    private final ActionTarget target;
    private final Probe probe;
    private final Instant containerStarted;
    private final long podGraceSeconds;
    private final Prober prober;
    private final Clock clock;
    private volatile boolean result;
    private int successes;
    private int failures;
    private volatile boolean stopped;
    private ScheduledFuture<?> schedule;

    ProbeWorker(ProbeKind kind, String podUid, ActionTarget target, Instant containerStarted, long podGraceSeconds,
                Prober prober, Clock clock) {
        this.kind = kind;
        this.podUid = podUid;
        this.target = target;
        this.probe = kind.of(target.container());
        this.containerStarted = containerStarted;
        this.podGraceSeconds = podGraceSeconds;
        this.prober = prober;
        this.clock = clock;
        this.result = kind.initialResult();
    }

    boolean result() {
        return result;
    }

    Duration period() {
        return Duration.ofSeconds(positive(probe.getPeriodSeconds(), 10));
    }

    /** How long until the first run may do anything: what is left of the initial delay. */
    Duration firstRun() {
        Instant due = containerStarted.plusSeconds(Math.max(0, value(probe.getInitialDelaySeconds(), 0)));
        Duration left = Duration.between(clock.instant(), due);
        return left.isNegative() ? Duration.ZERO : left;
    }

    void scheduled(ScheduledFuture<?> future) {
        this.schedule = future;
    }

    void stop() {
        stopped = true;
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    void run() {
        if (stopped) {
            return;
        }
        if (kind == ProbeKind.STARTUP && result) {
            return; // a startup probe runs until it first succeeds
        }
        if (kind != ProbeKind.STARTUP && !prober.started(target.containerId(), target.container())) {
            return;
        }
        if (clock.instant().isBefore(containerStarted.plusSeconds(value(probe.getInitialDelaySeconds(), 0)))) {
            return;
        }
        Outcome outcome;
        try {
            outcome = prober.runner().run(Action.of(probe), target,
                    Duration.ofSeconds(positive(probe.getTimeoutSeconds(), 1)));
        } catch (RuntimeException e) {
            outcome = Outcome.failure(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (stopped) {
            return;
        }
        boolean before = result;
        boolean failed = false;
        if (outcome.success()) {
            failures = 0;
            successes++;
            if (successes >= positive(probe.getSuccessThreshold(), 1)) {
                result = true;
            }
        } else {
            successes = 0;
            failures++;
            LOG.debug("{} probe of {} in pod {} failed: {}", kind.label(), target.container().getName(), podUid,
                    outcome.message());
            if (failures >= positive(probe.getFailureThreshold(), 3)) {
                result = false;
                failed = true;
            }
        }
        if (failed && kind != ProbeKind.READINESS) {
            stop();
            long grace = probe.getTerminationGracePeriodSeconds() != null
                    ? probe.getTerminationGracePeriodSeconds() : podGraceSeconds;
            prober.listener().unhealthy(podUid, target.containerId(), target.container(), kind,
                    kind.label() + " probe failed: " + outcome.message(), grace);
            return;
        }
        if (before != result) {
            prober.listener().resultChanged(podUid);
        }
    }

    private static int positive(Integer value, int fallback) {
        return value == null || value <= 0 ? fallback : value;
    }

    private static int value(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
