package dev.flotilla.scheduler;

import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.cache.SchedulerCache;
import dev.flotilla.scheduler.framework.Diagnosis;
import dev.flotilla.scheduler.framework.PodPlacement;
import dev.flotilla.scheduler.framework.PostFilterResult;
import dev.flotilla.scheduler.queue.QueuedPod;
import dev.flotilla.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling cycle, one pod at a time on one thread while this instance leads: pop, check the
 * pod is still pending, place it with its profile (by {@code spec.schedulerName}) with the cache
 * held still, assume it onto the chosen node and bind asynchronously; or record why no node fits
 * and park it.
 */
final class SchedulingLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulingLoop.class);

    private final SchedulingQueue queue;
    private final SchedulerCache cache;
    private final Map<String, SchedulingProfile> profiles;
    private final Store<Pod> pods;
    private final PriorityResolver priorities;
    private final PodBinder binder;
    private final SchedulerMetrics metrics;
    private volatile boolean running = true;

    /** {@code profiles} by schedulerName. */
    SchedulingLoop(SchedulingQueue queue, SchedulerCache cache, Map<String, SchedulingProfile> profiles, Store<Pod> pods,
            PriorityResolver priorities, PodBinder binder, SchedulerMetrics metrics) {
        this.queue = queue;
        this.cache = cache;
        this.profiles = Map.copyOf(profiles);
        this.pods = pods;
        this.priorities = priorities;
        this.binder = binder;
        this.metrics = metrics;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            try {
                QueuedPod next = queue.pop(Duration.ofMillis(200));
                if (next != null && running) {
                    scheduleOne(next);
                } else if (next != null) {
                    queue.requeueAfterError(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("scheduling cycle failed", e);
            }
        }
    }

    private void scheduleOne(QueuedPod queued) throws InterruptedException {
        long begin = System.nanoTime();
        Pod pod = pods.getByKey(queued.key());
        if (pod == null || pod.getMetadata().getDeletionTimestamp() != null
                || (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty())) {
            queue.done(queued.key());
            return;
        }
        SchedulingProfile profile = profiles.get(pod.getSpec().getSchedulerName());
        if (profile == null) {
            queue.done(queued.key());
            return;
        }
        PodPlacement placement = profile.placement();
        PodInfo info = new PodInfo(pod, priorities.priorityOf(pod));
        record Decision(PodPlacement.Result result, String failure, PostFilterResult postFilter) {
        }
        Decision decision = cache.locked(() -> {
            var nodes = cache.nodes();
            PodPlacement.Result result = placement.place(info, nodes);
            if (result.scheduled()) {
                cache.assume(info, result.nodeName());
                return new Decision(result, null, null);
            }
            Diagnosis diagnosis = result.diagnosis();
            PostFilterResult postFilter = null;
            if (!nodes.isEmpty()) {
                postFilter = placement.postFilter(info, diagnosis, nodes);
                diagnosis.setPostFilterMessage(postFilter.message());
                if (postFilter.nominatedNodeName() != null) {
                    cache.nominate(info, postFilter.nominatedNodeName());
                }
            }
            return new Decision(result, diagnosis.message(), postFilter);
        });
        if (decision.failure() != null) {
            metrics.attempt(profile.schedulerName(), SchedulerMetrics.UNSCHEDULABLE, Duration.ofNanos(System.nanoTime() - begin));
            PostFilterResult postFilter = decision.postFilter();
            if (postFilter != null && postFilter.nominates()) {
                profile.eviction().evict(pod, postFilter.nominatedNodeName(), postFilter.victims(), info.priority());
            }
            profile.outcomes().failed(pod, decision.failure(), postFilter == null ? null : postFilter.nominatedNodeName());
            queue.requeueUnschedulable(queued);
            return;
        }
        String nodeName = decision.result().nodeName();
        metrics.attempt(profile.schedulerName(), SchedulerMetrics.SCHEDULED, Duration.ofNanos(System.nanoTime() - begin));
        binder.bind(pod, nodeName).whenComplete((ok, error) -> {
            if (error == null) {
                queue.done(queued.key());
                metrics.podScheduled(Duration.ofNanos(System.nanoTime() - queued.addedNanos()));
                profile.outcomes().scheduled(pod, nodeName);
            } else {
                bindingFailed(profile, queued, pod, error);
            }
        });
    }

    private void bindingFailed(SchedulingProfile profile, QueuedPod queued, Pod pod, Throwable error) {
        cache.forget(queued.key());
        metrics.attempt(profile.schedulerName(), SchedulerMetrics.ERROR, Duration.ZERO);
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof ApiRequests.ApiCallException api && api.code() == 404) {
            queue.done(queued.key());
            return;
        }
        if (cause instanceof ApiRequests.ApiCallException api && api.code() == 409) {
            // Bound by someone else or changed meanwhile: the next attempt sees the informer's current state.
            queue.requeueAfterError(queued);
            return;
        }
        LOG.warn("binding {} failed: {}", queued.key(), cause.getMessage());
        profile.outcomes().failed(pod, "Binding rejected: " + cause.getMessage());
        queue.requeueAfterError(queued);
    }
}
