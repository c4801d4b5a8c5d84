package dev.flotilla.controllers.cronjob;

import dev.flotilla.api.cron.CronSchedule;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.job.JobConditions;
import dev.flotilla.controllers.job.Times;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's CronJob controller: at each start time of {@code spec.schedule} in {@code spec.timeZone}
 * (default UTC, the controller's zone) creates the Job {@code <cronjob>-<minutes since epoch>} from
 * the template, honouring concurrencyPolicy, startingDeadlineSeconds and suspend; keeps
 * status.active, lastScheduleTime and lastSuccessfulTime; deletes finished Jobs beyond the history
 * limits. Time comes from an injectable clock.
 */
public final class CronJobController implements Controller {

    static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private final Clock clock;
    private KubernetesClient client;
    private EventRecorder events;
    private WorkQueue<String> queue;
    private SharedIndexInformer<CronJob> cronJobs;
    private SharedIndexInformer<Job> jobs;

    public CronJobController() {
        this(Clock.systemUTC());
    }

    public CronJobController(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "cronjob";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.events = new EventRecorder(client, "cronjob-controller");
        this.queue = queue;
        cronJobs = context.informers().of(CronJob.class);
        jobs = context.informers().of(Job.class);
        cronJobs.addEventHandler(Enqueue.by(queue, Keys::of));
        jobs.addEventHandler(Enqueue.by(queue, job -> owner(job)
                .map(o -> job.getMetadata().getNamespace() + "/" + o.getName()).orElse(null)));
    }

    private static Optional<OwnerReference> owner(Job job) {
        if (job.getMetadata().getOwnerReferences() == null) {
            return Optional.empty();
        }
        return job.getMetadata().getOwnerReferences().stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()) && "CronJob".equals(o.getKind())).findFirst();
    }

    @Override
    public void reconcile(String key) {
        CronJob cronJob = cronJobs.getStore().getByKey(key);
        if (cronJob == null || cronJob.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String uid = cronJob.getMetadata().getUid();
        List<Job> owned = new ArrayList<>();
        for (Job job : jobs.getIndexer().byIndex(Cache.NAMESPACE_INDEX, cronJob.getMetadata().getNamespace())) {
            if (owner(job).filter(o -> uid.equals(o.getUid())).isPresent()) {
                owned.add(job);
            }
        }
        CronJobStatus status = cronJob.getStatus() == null ? new CronJobStatus()
                : new CronJobStatusBuilder(cronJob.getStatus()).build();
        addCreatedNotYetCached(status, owned);
        List<Job> active = owned.stream().filter(j -> !JobConditions.isFinished(j))
                .filter(j -> j.getMetadata().getDeletionTimestamp() == null).toList();
        status.setActive(active.stream().sorted(Comparator.comparing(j -> j.getMetadata().getName()))
                .map(CronJobController::reference).toList());
        owned.stream().map(j -> JobConditions.trueCondition(j, JobConditions.COMPLETE).isPresent() ? j.getStatus().getCompletionTime() : null)
                .filter(t -> t != null).map(Times::parse).max(Comparator.naturalOrder())
                .filter(t -> status.getLastSuccessfulTime() == null || t.isAfter(Times.parse(status.getLastSuccessfulTime())))
                .ifPresent(t -> status.setLastSuccessfulTime(Times.format(t)));
        new JobHistory(client, events).trim(cronJob, owned);

        Instant now = clock.instant();
        Optional<Duration> requeue = Boolean.TRUE.equals(cronJob.getSpec().getSuspend()) ? Optional.empty()
                : schedule(cronJob, status, active, owned, now);
        writeStatus(cronJob, status);
        requeue.ifPresent(delay -> queue.addAfter(key, delay));
    }

    /** A Job in status.active that the cache does not show yet is looked up, so that it is not forgotten. */
    private void addCreatedNotYetCached(CronJobStatus status, List<Job> owned) {
        if (status.getActive() == null) {
            return;
        }
        for (ObjectReference reference : status.getActive()) {
            if (owned.stream().anyMatch(j -> j.getMetadata().getUid().equals(reference.getUid()))) {
                continue;
            }
            Job live = client.batch().v1().jobs().inNamespace(reference.getNamespace()).withName(reference.getName()).get();
            if (live != null && live.getMetadata().getUid().equals(reference.getUid())) {
                owned.add(live);
            }
        }
    }

    /** Starts the Job due now if policy allows; returns how long until the next start time. */
    private Optional<Duration> schedule(CronJob cronJob, CronJobStatus status, List<Job> active, List<Job> owned, Instant now) {
        CronSchedule schedule;
        ZoneId zone;
        try {
            schedule = CronSchedule.parse(cronJob.getSpec().getSchedule());
            zone = cronJob.getSpec().getTimeZone() == null ? ZoneOffset.UTC : ZoneId.of(cronJob.getSpec().getTimeZone());
        } catch (RuntimeException e) {
            // The API server validates both; an object from before that is reported, not retried.
            events.warning(cronJob, "UnparseableSchedule", "unparseable schedule: " + cronJob.getSpec().getSchedule() + " : "
                    + e.getMessage());
            return Optional.empty();
        }
        Long deadline = cronJob.getSpec().getStartingDeadlineSeconds();
        MissedSchedules missed = MissedSchedules.of(schedule, zone, Times.parse(status.getLastScheduleTime()),
                Times.parse(cronJob.getMetadata().getCreationTimestamp()), now);
        Optional<Duration> untilNext = missed.next().map(t -> Duration.between(now, t.toInstant()).plusMillis(100));
        if (missed.mostRecent().isEmpty()) {
            return untilNext;
        }
        if (missed.missed() > MissedSchedules.TOO_MANY) {
            events.warning(cronJob, "TooManyMissedTimes", "too many missed start times: " + missed.missed()
                    + ". Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }
        ZonedDateTime scheduled = missed.mostRecent().get();
        if (deadline != null && scheduled.toInstant().plusSeconds(deadline).isBefore(now)) {
            events.warning(cronJob, "MissSchedule", "Missed scheduled time to start a job: " + RFC3339.format(scheduled));
            return untilNext;
        }
        String jobName = cronJob.getMetadata().getName() + "-" + scheduled.toEpochSecond() / 60;
        if (owned.stream().anyMatch(j -> j.getMetadata().getName().equals(jobName))) {
            status.setLastScheduleTime(Times.format(scheduled.toInstant()));
            return untilNext;
        }
        String policy = cronJob.getSpec().getConcurrencyPolicy() == null ? "Allow" : cronJob.getSpec().getConcurrencyPolicy();
        if ("Forbid".equals(policy) && !active.isEmpty()) {
            events.normal(cronJob, "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid");
            return untilNext;
        }
        List<ObjectReference> stillActive = new ArrayList<>(status.getActive());
        if ("Replace".equals(policy)) {
            for (Job job : active) {
                client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                events.normal(cronJob, "SuccessfulDelete", "Deleted job " + job.getMetadata().getName());
                stillActive.removeIf(r -> r.getName().equals(job.getMetadata().getName()));
            }
        }
        Job created = create(cronJob, jobName, scheduled);
        stillActive.add(reference(created));
        status.setActive(stillActive);
        status.setLastScheduleTime(Times.format(scheduled.toInstant()));
        return untilNext;
    }

    private Job create(CronJob cronJob, String name, ZonedDateTime scheduled) {
        var template = cronJob.getSpec().getJobTemplate();
        Map<String, String> annotations = new HashMap<>(template.getMetadata() == null || template.getMetadata().getAnnotations() == null
                ? Map.of() : template.getMetadata().getAnnotations());
        annotations.put(SCHEDULED_TIMESTAMP, RFC3339.format(scheduled));
        Job job = new JobBuilder().withNewMetadata().withName(name).withNamespace(cronJob.getMetadata().getNamespace())
                .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
                .withAnnotations(annotations)
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob").withName(cronJob.getMetadata().getName())
                .withUid(cronJob.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).endOwnerReference()
                .endMetadata().withSpec(template.getSpec()).build();
        try {
            Job created = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job).create();
            events.normal(cronJob, "SuccessfulCreate", "Created job " + name);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                events.warning(cronJob, "FailedCreate", "Error creating job: " + e.getMessage());
                throw e;
            }
            // Created by an earlier attempt whose status write did not land: adopt it if it is ours.
            Job existing = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(name).get();
            if (existing == null || owner(existing).filter(o -> cronJob.getMetadata().getUid().equals(o.getUid())).isEmpty()) {
                throw e;
            }
            return existing;
        }
    }

    private static ObjectReference reference(Job job) {
        return new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid()).withResourceVersion(job.getMetadata().getResourceVersion()).build();
    }

    private void writeStatus(CronJob cronJob, CronJobStatus status) {
        if (sameStatus(cronJob.getStatus(), status)) {
            return;
        }
        client.resource(new CronJobBuilder(cronJob).withStatus(status).build()).updateStatus();
    }

    /** Equal but for the resourceVersions in active references, which change with every Job status write. */
    private static boolean sameStatus(CronJobStatus old, CronJobStatus updated) {
        if (old == null) {
            return false;
        }
        return java.util.Objects.equals(old.getLastScheduleTime(), updated.getLastScheduleTime())
                && java.util.Objects.equals(old.getLastSuccessfulTime(), updated.getLastSuccessfulTime())
                && names(old.getActive()).equals(names(updated.getActive()));
    }

    private static List<String> names(List<ObjectReference> references) {
        return references == null ? List.of() : references.stream().map(ObjectReference::getUid).sorted().toList();
    }
}
