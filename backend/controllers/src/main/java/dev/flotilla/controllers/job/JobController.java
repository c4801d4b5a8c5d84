package dev.flotilla.controllers.job;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a Job's pods to completion as upstream does: creates pods up to parallelism (NonIndexed, or
 * one per missing completion index), counts finished pods exactly once through the
 * {@code batch.kubernetes.io/job-tracking} finalizer and {@code status.uncountedTerminatedPods}
 * (record the uid, then release the pod, then move it into the count), re-creates failed pods after
 * an exponential back-off, and finishes the Job as Complete, or Failed on the back-off limit, the
 * active deadline or a FailJob pod failure policy rule. Suspending deletes the active pods.
 */
public final class JobController implements Controller {

    static final Duration BACKOFF_BASE = Duration.ofSeconds(10);
    static final Duration BACKOFF_MAX = Duration.ofMinutes(6);

    private final Clock clock;
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> expectedPods = new ConcurrentHashMap<>();
    private KubernetesClient client;
    private JobPods jobPods;
    private EventRecorder events;
    private WorkQueue<String> queue;
    private SharedIndexInformer<Job> jobs;
    private SharedIndexInformer<Pod> pods;

    /** Failures since the last success and when the last one was seen: the re-create delay. */
    private record Backoff(int failures, Instant last) {
    }

    public JobController() {
        this(Clock.systemUTC());
    }

    public JobController(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "job";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.events = new EventRecorder(client, "job-controller");
        this.jobPods = new JobPods(client, events);
        this.queue = queue;
        jobs = context.informers().of(Job.class);
        pods = context.informers().of(Pod.class);
        jobs.addEventHandler(Enqueue.by(queue, Keys::of));
        pods.addEventHandler(Enqueue.by(queue, JobController::ownerKey));
    }

    private static String ownerKey(Pod pod) {
        Optional<OwnerReference> owner = controllerJob(pod);
        return owner.map(o -> pod.getMetadata().getNamespace() + "/" + o.getName()).orElse(null);
    }

    private static Optional<OwnerReference> controllerJob(Pod pod) {
        if (pod.getMetadata().getOwnerReferences() == null) {
            return Optional.empty();
        }
        return pod.getMetadata().getOwnerReferences().stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()) && "Job".equals(o.getKind())
                        && o.getApiVersion() != null && o.getApiVersion().startsWith("batch/"))
                .findFirst();
    }

    private List<Pod> podsOwnedBy(String namespace, String name, String uid) {
        List<Pod> owned = new ArrayList<>();
        for (Pod pod : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
            controllerJob(pod).filter(o -> o.getName().equals(name) && (uid == null || uid.equals(o.getUid())))
                    .ifPresent(o -> owned.add(pod));
        }
        return owned;
    }

    @Override
    public void reconcile(String key) {
        Job job = jobs.getStore().getByKey(key);
        String namespace = Keys.namespace(key);
        if (job == null) {
            // The Job is gone: release its pods so that the garbage collector can delete them.
            podsOwnedBy(namespace, Keys.name(key), null).stream().filter(JobPods::hasFinalizer).forEach(jobPods::removeFinalizer);
            return;
        }
        String uid = job.getMetadata().getUid();
        List<Pod> owned = podsOwnedBy(namespace, job.getMetadata().getName(), uid);
        if (job.getMetadata().getDeletionTimestamp() != null || JobConditions.isFinished(job)) {
            for (Pod pod : owned) {
                if (JobPods.hasFinalizer(pod) && (!JobPods.active(pod) || job.getMetadata().getDeletionTimestamp() != null)) {
                    jobPods.removeFinalizer(pod);
                } else if (JobPods.active(pod)) {
                    jobPods.delete(job, pod);
                }
            }
            backoffs.remove(uid);
            expectedPods.remove(uid);
            return;
        }
        new Sync(job, owned).run();
    }

    /** One reconcile of one Job. */
    private final class Sync {
        private final Job job;
        private final List<Pod> owned;
        private final Instant now = clock.instant();
        private final String uid;
        private JobStatus status;
        private String resourceVersion;

        Sync(Job job, List<Pod> owned) {
            this.job = job;
            this.owned = owned;
            this.uid = job.getMetadata().getUid();
            this.status = job.getStatus() == null ? new JobStatus() : new JobStatusBuilder(job.getStatus()).build();
            this.resourceVersion = job.getMetadata().getResourceVersion();
        }

        void run() {
            String finishReason = null;
            String finishMessage = null;
            // 1. Record newly finished pods as uncounted before releasing them, so a crash never loses one.
            Set<String> uncountedSucceeded = new LinkedHashSet<>(uncounted().getSucceeded());
            Set<String> uncountedFailed = new LinkedHashSet<>(uncounted().getFailed());
            int newlyFailed = 0;
            int newlySucceeded = 0;
            List<Pod> ignored = new ArrayList<>();
            for (Pod pod : owned) {
                String podUid = pod.getMetadata().getUid();
                if (!JobPods.hasFinalizer(pod) || uncountedSucceeded.contains(podUid) || uncountedFailed.contains(podUid)) {
                    continue;
                }
                if (JobPods.succeeded(pod)) {
                    uncountedSucceeded.add(podUid);
                    newlySucceeded++;
                } else if (JobPods.failed(pod)) {
                    var match = PodFailurePolicyRules.match(job.getSpec().getPodFailurePolicy(), pod);
                    if (match.isPresent() && "Ignore".equals(match.get().action())) {
                        ignored.add(pod);
                        continue;
                    }
                    uncountedFailed.add(podUid);
                    newlyFailed++;
                }
            }
            if (newlySucceeded + newlyFailed > 0) {
                status.setUncountedTerminatedPods(new UncountedTerminatedPods(new ArrayList<>(uncountedFailed),
                        new ArrayList<>(uncountedSucceeded)));
                writeStatus();
                recordBackoff(newlySucceeded, newlyFailed);
            }
            // 2. Release them, then 3. move them into the counts.
            ignored.forEach(jobPods::removeFinalizer);
            int succeeded = count(status.getSucceeded());
            int failed = count(status.getFailed());
            Set<Integer> succeededIndexes = Indexes.parse(status.getCompletedIndexes());
            for (Pod pod : owned) {
                String podUid = pod.getMetadata().getUid();
                boolean wasSucceeded = uncountedSucceeded.remove(podUid);
                boolean wasFailed = !wasSucceeded && uncountedFailed.remove(podUid);
                if (!wasSucceeded && !wasFailed) {
                    continue;
                }
                jobPods.removeFinalizer(pod);
                if (wasSucceeded) {
                    succeeded++;
                    Integer index = JobPods.index(pod);
                    if (index != null) {
                        succeededIndexes.add(index);
                    }
                } else {
                    failed++;
                    // Decided when the pod is counted, so a retry after a failed write still sees the rule.
                    var match = PodFailurePolicyRules.match(job.getSpec().getPodFailurePolicy(), pod);
                    if (finishReason == null && match.isPresent() && "FailJob".equals(match.get().action())) {
                        finishReason = "PodFailurePolicy";
                        finishMessage = match.get().message();
                    }
                }
            }
            // uids whose pods the cache no longer has were released (a pod with the finalizer cannot be gone).
            Set<String> present = new java.util.HashSet<>();
            owned.forEach(p -> present.add(p.getMetadata().getUid()));
            for (String gone : List.copyOf(uncountedSucceeded)) {
                if (!present.contains(gone)) {
                    uncountedSucceeded.remove(gone);
                    succeeded++;
                }
            }
            for (String gone : List.copyOf(uncountedFailed)) {
                if (!present.contains(gone)) {
                    uncountedFailed.remove(gone);
                    failed++;
                }
            }
            status.setSucceeded(succeeded);
            status.setFailed(failed);
            status.setUncountedTerminatedPods(new UncountedTerminatedPods(new ArrayList<>(uncountedFailed),
                    new ArrayList<>(uncountedSucceeded)));
            boolean indexed = "Indexed".equals(job.getSpec().getCompletionMode());
            if (indexed) {
                status.setCompletedIndexes(Indexes.format(succeededIndexes));
            }

            List<Pod> active = owned.stream().filter(JobPods::active).filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .filter(p -> !(indexed && succeededIndexes.contains(JobPods.index(p)))).toList();
            boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());

            // 4. Decide whether the Job is finished.
            int backoffLimit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
            if (finishReason == null && failed > backoffLimit) {
                finishReason = "BackoffLimitExceeded";
                finishMessage = "Job has reached the specified backoff limit";
            }
            if (finishReason == null && !suspended && deadlineExceeded()) {
                finishReason = "DeadlineExceeded";
                finishMessage = "Job was active longer than specified deadline";
            }
            boolean complete = finishReason == null && completed(succeeded, succeededIndexes, active);
            if (finishReason != null || complete) {
                active.forEach(pod -> jobPods.delete(job, pod));
                status.setActive(0);
                status.setReady(0);
                if (complete) {
                    JobConditions.set(status, JobConditions.COMPLETE, "True", "CompletionsReached",
                            "Reached expected number of succeeded pods", now);
                    status.setCompletionTime(Times.format(now));
                } else {
                    JobConditions.set(status, JobConditions.FAILED, "True", finishReason, finishMessage, now);
                }
                writeStatus();
                if (complete) {
                    events.normal(job, "Completed", "Job completed");
                } else {
                    events.warning(job, finishReason, finishMessage);
                }
                return;
            }

            // 5. Suspend, or run the wanted number of pods.
            if (suspended) {
                active.forEach(pod -> jobPods.delete(job, pod));
                active = List.of();
                if (JobConditions.set(status, JobConditions.SUSPENDED, "True", "JobSuspended", "Job suspended", now)) {
                    status.setStartTime(null);
                    events.normal(job, "Suspended", "Job suspended");
                }
            } else {
                if (JobConditions.trueCondition(job, JobConditions.SUSPENDED).isPresent()) {
                    JobConditions.set(status, JobConditions.SUSPENDED, "False", "JobResumed", "Job resumed", now);
                    events.normal(job, "Resumed", "Job resumed");
                }
                if (status.getStartTime() == null) {
                    status.setStartTime(Times.format(now));
                }
                active = scale(active, succeeded, succeededIndexes, indexed);
                scheduleDeadline();
            }
            status.setActive(active.size() + expectedCount());
            status.setReady((int) active.stream().filter(JobPods::ready).count());
            if (!StatusComparison.same(job.getStatus(), status)) {
                writeStatus();
            }
        }

        private UncountedTerminatedPods uncounted() {
            UncountedTerminatedPods u = status.getUncountedTerminatedPods();
            return u == null ? new UncountedTerminatedPods(List.of(), List.of()) : u;
        }

        private boolean completed(int succeeded, Set<Integer> succeededIndexes, List<Pod> active) {
            Integer completions = job.getSpec().getCompletions();
            if (completions == null) {
                return succeeded > 0 && active.isEmpty();
            }
            if ("Indexed".equals(job.getSpec().getCompletionMode())) {
                return succeededIndexes.size() >= completions;
            }
            return succeeded >= completions;
        }

        private boolean deadlineExceeded() {
            Long deadline = job.getSpec().getActiveDeadlineSeconds();
            Instant start = Times.parse(status.getStartTime());
            return deadline != null && start != null && !now.isBefore(start.plusSeconds(deadline));
        }

        private void scheduleDeadline() {
            Long deadline = job.getSpec().getActiveDeadlineSeconds();
            Instant start = Times.parse(status.getStartTime());
            if (deadline != null && start != null) {
                queue.addAfter(Keys.of(job), Duration.between(now, start.plusSeconds(deadline)).plusMillis(100));
            }
        }

        /** Creates or deletes pods toward parallelism; returns the active pods after. */
        private List<Pod> scale(List<Pod> active, int succeeded, Set<Integer> succeededIndexes, boolean indexed) {
            int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
            Integer completions = job.getSpec().getCompletions();
            List<Integer> missingIndexes = new ArrayList<>();
            int wanted;
            if (indexed) {
                Set<Integer> running = new TreeSet<>();
                active.forEach(p -> running.add(JobPods.index(p)));
                for (int i = 0; i < completions && missingIndexes.size() + running.size() < parallelism; i++) {
                    if (!succeededIndexes.contains(i) && !running.contains(i)) {
                        missingIndexes.add(i);
                    }
                }
                wanted = Math.min(parallelism, completions - succeededIndexes.size());
            } else if (completions == null) {
                wanted = succeeded > 0 ? 0 : parallelism;
            } else {
                wanted = Math.min(parallelism, completions - succeeded);
            }
            List<Pod> result = new ArrayList<>(active);
            if (active.size() > wanted) {
                List<Pod> extra = active.stream().sorted((a, b) -> b.getMetadata().getCreationTimestamp()
                        .compareTo(a.getMetadata().getCreationTimestamp())).limit(active.size() - wanted).toList();
                extra.forEach(pod -> jobPods.delete(job, pod));
                result.removeAll(extra);
                return result;
            }
            if (awaitingCreatedPods() || active.size() == wanted) {
                return result;
            }
            Duration wait = backoffRemaining();
            if (!wait.isZero()) {
                queue.addAfter(Keys.of(job), wait);
                return result;
            }
            Set<String> created = ConcurrentHashMap.newKeySet();
            expectedPods.put(uid, created);
            for (int i = 0; i < wanted - active.size(); i++) {
                Integer index = indexed ? (i < missingIndexes.size() ? missingIndexes.get(i) : null) : null;
                if (indexed && index == null) {
                    break;
                }
                created.add(jobPods.create(job, index));
            }
            return result;
        }

        private int expectedCount() {
            Set<String> expected = expectedPods.get(uid);
            return expected == null ? 0 : expected.size();
        }

        /** Forgets created pods the cache now shows; true while some are still missing from it. */
        private boolean awaitingCreatedPods() {
            Set<String> expected = expectedPods.get(uid);
            if (expected == null) {
                return false;
            }
            owned.forEach(p -> expected.remove(p.getMetadata().getName()));
            if (expected.isEmpty()) {
                expectedPods.remove(uid);
                return false;
            }
            // Pod events bring the key back; this only covers a create whose pod was deleted before it was seen.
            queue.addAfter(Keys.of(job), Duration.ofSeconds(5));
            return true;
        }

        private void recordBackoff(int newlySucceeded, int newlyFailed) {
            if (newlySucceeded > 0) {
                backoffs.remove(uid);
            }
            if (newlyFailed > 0) {
                backoffs.merge(uid, new Backoff(newlyFailed, now), (a, b) -> new Backoff(a.failures() + b.failures(), now));
            }
        }

        private Duration backoffRemaining() {
            Backoff backoff = backoffs.get(uid);
            if (backoff == null) {
                return Duration.ZERO;
            }
            Duration delay = BACKOFF_BASE.multipliedBy(1L << Math.min(backoff.failures() - 1, 20));
            if (delay.compareTo(BACKOFF_MAX) > 0) {
                delay = BACKOFF_MAX;
            }
            Duration remaining = Duration.between(now, backoff.last().plus(delay));
            return remaining.isNegative() ? Duration.ZERO : remaining;
        }

        /**
         * Replaces status alone with a JSON patch guarded by the resourceVersion this reconcile read
         * (a compare-and-swap), so the write never carries the spec back.
         */
        private void writeStatus() {
            var serialization = client.getKubernetesSerialization();
            String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":"
                    + serialization.asJson(resourceVersion) + "},{\"op\":\"add\",\"path\":\"/status\",\"value\":"
                    + serialization.asJson(status) + "}]";
            Job written = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                    .withName(job.getMetadata().getName()).subresource("status")
                    .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON), patch);
            resourceVersion = written.getMetadata().getResourceVersion();
        }
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }

}
