package dev.flotilla.controllers.ttl;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.job.JobConditions;
import dev.flotilla.controllers.job.Times;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Upstream's TTL-after-finished controller: a finished Job with {@code spec.ttlSecondsAfterFinished}
 * is deleted (propagation Background, so its pods go too) that many seconds after its Complete or
 * Failed condition became true.
 */
public final class TtlAfterFinishedController implements Controller {

    private final Clock clock;
    private KubernetesClient client;
    private WorkQueue<String> queue;
    private SharedIndexInformer<Job> jobs;

    public TtlAfterFinishedController() {
        this(Clock.systemUTC());
    }

    public TtlAfterFinishedController(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "ttl-after-finished";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        jobs = context.informers().of(Job.class);
        jobs.addEventHandler(Enqueue.by(queue, job -> job.getSpec().getTtlSecondsAfterFinished() == null ? null : Keys.of(job)));
    }

    @Override
    public void reconcile(String key) {
        Job job = jobs.getStore().getByKey(key);
        if (job == null || job.getMetadata().getDeletionTimestamp() != null
                || job.getSpec().getTtlSecondsAfterFinished() == null) {
            return;
        }
        var finished = JobConditions.finished(job);
        if (finished.isEmpty()) {
            return;
        }
        Instant finishedAt = Times.parse(finished.get().getLastTransitionTime());
        Instant expiresAt = (finishedAt == null ? clock.instant() : finishedAt).plusSeconds(job.getSpec().getTtlSecondsAfterFinished());
        Duration remaining = Duration.between(clock.instant(), expiresAt);
        if (!remaining.isNegative() && !remaining.isZero()) {
            queue.addAfter(key, remaining);
            return;
        }
        var resource = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName());
        // As upstream, check the live object first: the cache may be behind a Job re-created under the same name.
        Job live = resource.get();
        if (live == null || !job.getMetadata().getUid().equals(live.getMetadata().getUid())) {
            return;
        }
        try {
            resource.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
