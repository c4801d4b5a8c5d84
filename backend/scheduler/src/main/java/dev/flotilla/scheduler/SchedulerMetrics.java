package dev.flotilla.scheduler;

import dev.flotilla.scheduler.queue.SchedulingQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The scheduler's meters, named after upstream's: {@code scheduler_pending_pods{queue}},
 * {@code scheduler_schedule_attempts_total{result,profile}},
 * {@code scheduler_scheduling_attempt_duration_seconds{result,profile}} and
 * {@code scheduler_pod_scheduling_duration_seconds} (first queued to bound).
 */
final class SchedulerMetrics {

    static final String SCHEDULED = "scheduled";
    static final String UNSCHEDULABLE = "unschedulable";
    static final String ERROR = "error";

    private final MeterRegistry registry;
    private final Timer podSchedulingDuration;

    SchedulerMetrics(MeterRegistry registry, SchedulingQueue queue) {
        this.registry = registry;
        for (SchedulingQueue.Part part : SchedulingQueue.Part.values()) {
            if (part != SchedulingQueue.Part.IN_FLIGHT) {
                Gauge.builder("scheduler.pending.pods", queue, q -> q.size(part))
                        .tag("queue", part.name().toLowerCase(java.util.Locale.ROOT))
                        .description("Pending pods by queue").register(registry);
            }
        }
        podSchedulingDuration = Timer.builder("scheduler.pod.scheduling.duration")
                .description("From first queued to bound").publishPercentileHistogram().register(registry);
    }

    /** {@code profile}: the schedulerName of the profile that made the attempt. */
    void attempt(String profile, String result, Duration took) {
        Counter.builder("scheduler.schedule.attempts").tag("result", result).tag("profile", profile)
                .description("Scheduling attempts by result").register(registry).increment();
        Timer.builder("scheduler.scheduling.attempt.duration").tag("result", result).tag("profile", profile)
                .description("Scheduling attempt latency (filter, score, assume)").register(registry).record(took);
    }

    void podScheduled(Duration sinceQueued) {
        podSchedulingDuration.record(sinceQueued);
    }
}
