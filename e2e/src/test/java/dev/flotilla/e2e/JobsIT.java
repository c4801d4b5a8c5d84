package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.hollownodes.HollowNodeTemplate;
import dev.flotilla.hollownodes.HollowNodes;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The Job, CronJob and TTL-after-finished controllers in the server's controller manager, with the
 * in-process scheduler and hollow nodes running the pods; the test reports pods Succeeded or Failed
 * as a kubelet would.
 */
class JobsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private static HollowNodes nodes;
    private String ns;
    private PodOutcomes pods;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ControlPlane.start();
        client = cluster.fabric8Client();
        nodes = new HollowNodes(client, HollowNodeTemplate.of("jobs", 2).withLeaseRenewInterval(Duration.ofSeconds(10))).start();
    }

    @AfterAll
    static void stopCluster() {
        Closeables.closeAll(nodes, client, cluster);
    }

    @BeforeEach
    void namespace(TestInfo test) {
        ns = TestNamespaces.create(client, test, "jobs-", 14);
        pods = new PodOutcomes(client, ns);
    }

    @Test
    void completionsThreeAtParallelismTwoComplete() {
        create(job("pi", s -> s.withCompletions(3).withParallelism(2)));
        AtomicInteger maxActive = new AtomicInteger();
        int finished = 0;
        while (finished < 3) {
            int expected = Math.min(2, 3 - finished);
            List<Pod> running = pods.awaitRunning("pi", expected);
            maxActive.accumulateAndGet((int) pods.podsOf("pi").stream()
                    .filter(p -> p.getStatus() == null || !"Succeeded".equals(p.getStatus().getPhase())).count(), Math::max);
            assertThat(running).allSatisfy(p -> assertThat(p.getMetadata().getFinalizers()).contains("batch.kubernetes.io/job-tracking"));
            pods.succeed(running.get(0));
            finished++;
            int done = finished;
            Await.until(WAIT, done + " succeeded", () -> count(get("pi").getStatus().getSucceeded()) == done);
        }
        Job job = awaitCondition("pi", "Complete");
        assertThat(job.getStatus().getCompletionTime()).isNotNull();
        assertThat(job.getStatus().getStartTime()).isNotNull();
        assertThat(job.getStatus().getActive()).isIn(null, 0);
        assertThat(maxActive.get()).isLessThanOrEqualTo(2);
        Await.until(WAIT, "finalizers released", () -> pods.podsOf("pi").stream()
                .allMatch(p -> p.getMetadata().getFinalizers() == null || p.getMetadata().getFinalizers().isEmpty()));
        assertThat(pods.podsOf("pi")).hasSize(3);
        assertThat(cluster.kubectl("wait", "-n", ns, "--for=condition=complete", "job/pi", "--timeout=10s").assertSuccess().output())
                .contains("job.batch/pi condition met");
        String[] described = {""};
        Await.until(WAIT, () -> "the Job's events in kubectl describe; the last output:\n" + described[0], () -> {
            described[0] = cluster.kubectl("-n", ns, "describe", "job", "pi").output();
            return described[0].matches("(?s).*SuccessfulCreate\\s+\\S+\\s+job-controller\\s+Created pod: pi-.*"
                    + "Completed\\s+\\S+\\s+job-controller\\s+Job completed.*");
        });
    }

    @Test
    void failingPodsBackOffThenExceedTheBackoffLimit() {
        create(job("flaky", s -> s.withBackoffLimit(1)));
        Pod first = pods.awaitRunning("flaky", 1).get(0);
        pods.fail(first, 1);
        Instant failedAt = Instant.now();
        Pod second = Await.value(WAIT, "re-created pod", () -> pods.running("flaky").stream()
                .filter(p -> !p.getMetadata().getName().equals(first.getMetadata().getName())).findFirst().orElse(null));
        // Upstream's first back-off is 10 s; creation timestamps have whole seconds.
        Duration backoff = Duration.between(failedAt, Instant.parse(second.getMetadata().getCreationTimestamp()));
        assertThat(backoff).isGreaterThanOrEqualTo(Duration.ofSeconds(8)).isLessThan(Duration.ofSeconds(30));
        assertThat(get("flaky").getStatus().getFailed()).isEqualTo(1);
        pods.fail(second, 1);
        Job job = awaitCondition("flaky", "Failed");
        JobCondition failed = condition(job, "Failed").orElseThrow();
        assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(failed.getMessage()).isEqualTo("Job has reached the specified backoff limit");
        Await.until(WAIT, "the warning event", () -> cluster.kubectl("-n", ns, "describe", "job", "flaky").output()
                .matches("(?s).*Warning\\s+BackoffLimitExceeded\\s+\\S+\\s+job-controller\\s+Job has reached the specified backoff limit.*"));
        assertThat(job.getStatus().getFailed()).isEqualTo(2);
        assertThat(job.getStatus().getSucceeded()).isIn(null, 0);
        Await.until(WAIT, "no third pod and finalizers released", () -> pods.podsOf("flaky").size() == 2
                && pods.podsOf("flaky").stream().allMatch(p -> p.getMetadata().getFinalizers() == null
                        || p.getMetadata().getFinalizers().isEmpty()));
    }

    @Test
    void activeDeadlineFailsTheJobAndDeletesItsPods() {
        create(job("slow", s -> s.withParallelism(2).withCompletions(2).withActiveDeadlineSeconds(5L)));
        Await.until(WAIT, "two pods", () -> pods.podsOf("slow").size() == 2);
        Job job = awaitCondition("slow", "Failed");
        JobCondition failed = condition(job, "Failed").orElseThrow();
        assertThat(failed.getReason()).isEqualTo("DeadlineExceeded");
        assertThat(failed.getMessage()).isEqualTo("Job was active longer than specified deadline");
        Await.until(WAIT, "active pods deleted", () -> pods.podsOf("slow").isEmpty());
        assertThat(get("slow").getStatus().getActive()).isIn(null, 0);
    }

    @Test
    void indexedJobGivesEachPodItsIndexAndCompletesEveryIndex() {
        create(job("idx", s -> s.withCompletions(3).withParallelism(3).withCompletionMode("Indexed")));
        List<Pod> running = pods.awaitRunning("idx", 3);
        assertThat(running).extracting(p -> p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index"))
                .containsExactlyInAnyOrder("0", "1", "2");
        for (Pod pod : running) {
            String index = pod.getMetadata().getLabels().get("batch.kubernetes.io/job-completion-index");
            assertThat(pod.getSpec().getHostname()).isEqualTo("idx-" + index);
            assertThat(pod.getMetadata().getName()).startsWith("idx-" + index + "-");
            assertThat(pod.getSpec().getContainers().get(0).getEnv())
                    .anySatisfy(e -> assertThat(e.getName()).isEqualTo("JOB_COMPLETION_INDEX"));
        }
        Pod one = running.stream().filter(p -> "1".equals(p.getMetadata().getLabels()
                .get("batch.kubernetes.io/job-completion-index"))).findFirst().orElseThrow();
        pods.succeed(one);
        Await.until(WAIT, "index 1 completed", () -> "1".equals(get("idx").getStatus().getCompletedIndexes()));
        running.stream().filter(p -> p != one).forEach(pods::succeed);
        Job job = awaitCondition("idx", "Complete");
        assertThat(job.getStatus().getCompletedIndexes()).isEqualTo("0-2");
        assertThat(job.getStatus().getSucceeded()).isEqualTo(3);
    }

    @Test
    void suspendDeletesActivePodsAndResumeStartsThem() {
        create(job("paused", s -> s.withParallelism(2).withCompletions(4).withSuspend(true)));
        JobCondition suspended = Await.value(WAIT, "Suspended condition", () -> condition(get("paused"), "Suspended")
                .filter(c -> "True".equals(c.getStatus())).orElse(null));
        assertThat(suspended.getReason()).isEqualTo("JobSuspended");
        assertThat(pods.podsOf("paused")).isEmpty();
        assertThat(get("paused").getStatus().getStartTime()).isNull();

        setSuspend(client.batch().v1().jobs().inNamespace(ns).withName("paused"), false);
        pods.awaitRunning("paused", 2);
        JobCondition resumed = Await.value(WAIT, "Suspended=False", () -> condition(get("paused"), "Suspended")
                .filter(c -> "False".equals(c.getStatus())).orElse(null));
        assertThat(resumed.getReason()).isEqualTo("JobResumed");
        assertThat(get("paused").getStatus().getStartTime()).isNotNull();

        setSuspend(client.batch().v1().jobs().inNamespace(ns).withName("paused"), true);
        Await.until(WAIT, "active pods deleted on suspend", () -> pods.podsOf("paused").isEmpty()
                && count(get("paused").getStatus().getActive()) == 0);
        assertThat(get("paused").getStatus().getFailed()).isIn(null, 0);
    }

    @Test
    void podFailurePolicyFailsOnExitCodeAndIgnoresListedOnes() {
        create(job("policy", s -> s.withBackoffLimit(0).withNewPodFailurePolicy()
                .addNewRule().withAction("FailJob").withNewOnExitCodes().withOperator("In").withValues(42).endOnExitCodes().endRule()
                .addNewRule().withAction("Ignore").withNewOnExitCodes().withOperator("In").withValues(7).endOnExitCodes().endRule()
                .endPodFailurePolicy()));
        Pod first = pods.awaitRunning("policy", 1).get(0);
        pods.fail(first, 7);
        Pod second = Await.value(WAIT, "replacement for the ignored failure", () -> pods.running("policy").stream()
                .filter(p -> !p.getMetadata().getName().equals(first.getMetadata().getName())).findFirst().orElse(null));
        assertThat(get("policy").getStatus().getFailed()).isIn(null, 0);
        pods.fail(second, 42);
        Job job = awaitCondition("policy", "Failed");
        JobCondition failed = condition(job, "Failed").orElseThrow();
        assertThat(failed.getReason()).isEqualTo("PodFailurePolicy");
        assertThat(failed.getMessage()).isEqualTo("Container main for pod " + ns + "/" + second.getMetadata().getName()
                + " failed with exit code 42 matching FailJob rule at index 0");
    }

    @Test
    void ttlAfterFinishedDeletesTheJobAndItsPods() {
        create(job("short", s -> s.withTtlSecondsAfterFinished(2)));
        pods.succeed(pods.awaitRunning("short", 1).get(0));
        awaitCondition("short", "Complete");
        Await.until(WAIT, "job deleted after its TTL", () -> client.batch().v1().jobs().inNamespace(ns).withName("short").get() == null);
        Await.until(WAIT, "pods deleted with it", () -> pods.podsOf("short").isEmpty());
    }

    @Test
    void cronJobFiresEveryMinuteInRealTime() {
        client.batch().v1().cronjobs().inNamespace(ns).resource(cronJob("minutely", "*/1 * * * *")).create();
        Job job = Await.value(Duration.ofSeconds(75), "a Job within a minute", () -> client.batch().v1().jobs().inNamespace(ns)
                .list().getItems().stream().findFirst().orElse(null));
        String timestamp = job.getMetadata().getAnnotations().get("batch.kubernetes.io/cronjob-scheduled-timestamp");
        Instant scheduled = Instant.parse(timestamp);
        assertThat(job.getMetadata().getName()).isEqualTo("minutely-" + scheduled.getEpochSecond() / 60);
        assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("CronJob"));
        CronJob cronJob = Await.value(WAIT, "status.active", () -> {
            CronJob c = client.batch().v1().cronjobs().inNamespace(ns).withName("minutely").get();
            return c.getStatus() != null && c.getStatus().getActive() != null && !c.getStatus().getActive().isEmpty() ? c : null;
        });
        assertThat(Instant.parse(cronJob.getStatus().getLastScheduleTime())).isEqualTo(scheduled);
        pods.succeed(pods.awaitRunning(job.getMetadata().getName(), 1).get(0));
        Await.until(WAIT, "lastSuccessfulTime and the finished run no longer active", () -> {
            CronJob c = client.batch().v1().cronjobs().inNamespace(ns).withName("minutely").get();
            return c.getStatus().getLastSuccessfulTime() != null && (c.getStatus().getActive() == null
                    || c.getStatus().getActive().stream().noneMatch(r -> r.getName().equals(job.getMetadata().getName())));
        });
        setSuspend(client.batch().v1().cronjobs().inNamespace(ns).withName("minutely"), true);
    }

    @Test
    void kubectlCreateJobFromCronJob() {
        client.batch().v1().cronjobs().inNamespace(ns).resource(new CronJobBuilder(cronJob("nightly", "0 3 * * *"))
                .editSpec().withSuspend(true).endSpec().build()).create();
        assertThat(cluster.kubectl("create", "job", "manual", "--from=cronjob/nightly", "-n", ns).assertSuccess().output())
                .contains("job.batch/manual created");
        Job job = get("manual");
        assertThat(job.getMetadata().getAnnotations()).containsEntry("cronjob.kubernetes.io/instantiate", "manual");
        pods.succeed(pods.awaitRunning("manual", 1).get(0));
        awaitCondition("manual", "Complete");
        Await.until(WAIT, "lastSuccessfulTime from the manual run", () -> client.batch().v1().cronjobs().inNamespace(ns)
                .withName("nightly").get().getStatus().getLastSuccessfulTime() != null);
    }

    private CronJob cronJob(String name, String schedule) {
        return new CronJobBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withSchedule(schedule)
                .withNewJobTemplate().withSpec(job("template", s -> s).getSpec()).endJobTemplate().endSpec().build();
    }

    private static Job job(String name, UnaryOperator<JobSpecBuilder> spec) {
        JobSpecBuilder builder = new JobSpecBuilder().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("busybox").withCommand("true").endContainer()
                .endSpec().endTemplate();
        return new JobBuilder().withNewMetadata().withName(name).endMetadata().withSpec(spec.apply(builder).build()).build();
    }

    private void create(Job job) {
        client.batch().v1().jobs().inNamespace(ns).resource(job).create();
    }

    private Job get(String name) {
        return client.batch().v1().jobs().inNamespace(ns).withName(name).get();
    }

    private Job awaitCondition(String name, String type) {
        return Await.value(WAIT, name + " " + type, () -> {
            Job job = get(name);
            return condition(job, type).filter(c -> "True".equals(c.getStatus())).isPresent() ? job : null;
        });
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
                .max(Comparator.comparing(JobCondition::getLastTransitionTime));
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }

    /**
     * As `kubectl patch` does: a merge patch without a resourceVersion, which the server applies to the
     * latest object. fabric8's edit() pins the resourceVersion it read, so it fails (as upstream would)
     * whenever the controller writes status in between.
     */
    private static void setSuspend(Resource<?> resource, boolean suspend) {
        resource.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":" + suspend + "}}");
    }
}
