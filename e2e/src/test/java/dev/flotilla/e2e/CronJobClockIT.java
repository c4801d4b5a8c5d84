package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controllers.cronjob.CronJobController;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.ControllerRunner;
import dev.flotilla.controllers.framework.Informers;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The CronJob controller against the real API server on a clock the test moves, so that hours of
 * schedule pass in seconds. The server's own controller manager is off; Jobs are finished by writing
 * their status, as the Job controller would.
 */
class CronJobClockIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ControlPlane cluster;
    private static KubernetesClient client;
    private ManualClock clock;
    private Informers informers;
    private ControllerRunner runner;
    private String ns;
    private int ticks;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ControlPlane.start("--flotilla.controllers.enabled=false");
        client = cluster.fabric8Client();
    }

    @AfterAll
    static void stopCluster() {
        Closeables.closeAll(client, cluster);
    }

    @BeforeEach
    void start(TestInfo test) throws Exception {
        ns = TestNamespaces.create(client, test, "cron-", 14);
        clock = new ManualClock(Instant.now());
        informers = new Informers(client, Duration.ofMinutes(10));
        runner = new ControllerRunner(new CronJobController(clock), new ControllerContext(client, informers, new SimpleMeterRegistry()));
        informers.startAll().get();
        runner.startWorkers();
    }

    @AfterEach
    void stop() {
        runner.close();
        informers.close();
    }

    @Test
    void forbidSkipsWhileARunIsActiveThenStartsTheMissedOne() {
        CronJob cronJob = create("forbid", "*/5 * * * *", c -> c.withConcurrencyPolicy("Forbid"));
        Instant first = nextFiveMinutes(created(cronJob));
        tickTo(first.plusSeconds(1));
        awaitJobs("forbid-" + first.getEpochSecond() / 60);

        Instant second = first.plus(Duration.ofMinutes(5));
        tickTo(second.plusSeconds(1));
        Await.until(WAIT, "JobAlreadyActive event", () -> hasEvent("JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid"));
        assertThat(jobNames()).containsExactly("forbid-" + first.getEpochSecond() / 60);

        finish("forbid-" + first.getEpochSecond() / 60, "Complete");
        awaitJobs("forbid-" + first.getEpochSecond() / 60, "forbid-" + second.getEpochSecond() / 60);
        CronJob status = Await.value(WAIT, "lastSuccessfulTime", () -> {
            CronJob c = cronJob("forbid");
            return c.getStatus() != null && c.getStatus().getLastSuccessfulTime() != null ? c : null;
        });
        assertThat(Instant.parse(status.getStatus().getLastScheduleTime())).isEqualTo(second);
    }

    @Test
    void replaceDeletesTheActiveRunAndStartsTheNextOne() {
        CronJob cronJob = create("replace", "*/5 * * * *", c -> c.withConcurrencyPolicy("Replace"));
        Instant first = nextFiveMinutes(created(cronJob));
        tickTo(first.plusSeconds(1));
        awaitJobs("replace-" + first.getEpochSecond() / 60);
        Instant second = first.plus(Duration.ofMinutes(5));
        tickTo(second.plusSeconds(1));
        awaitJobs("replace-" + second.getEpochSecond() / 60);
        Await.until(WAIT, "status.active is the new run", () -> {
            CronJob c = cronJob("replace");
            return c.getStatus().getActive().size() == 1
                    && c.getStatus().getActive().get(0).getName().equals("replace-" + second.getEpochSecond() / 60);
        });
    }

    @Test
    void historyLimitsKeepTheNewestFinishedJobs() {
        CronJob cronJob = create("history", "*/5 * * * *", c -> c.withSuccessfulJobsHistoryLimit(1).withFailedJobsHistoryLimit(1));
        Instant time = nextFiveMinutes(created(cronJob));
        List<String> outcomes = List.of("Complete", "Complete", "Failed", "Failed");
        String lastComplete = null;
        String lastFailed = null;
        for (String outcome : outcomes) {
            tickTo(time.plusSeconds(1));
            String name = "history-" + time.getEpochSecond() / 60;
            Await.until(WAIT, name, () -> jobNames().contains(name));
            finish(name, outcome);
            if (outcome.equals("Complete")) {
                lastComplete = name;
            } else {
                lastFailed = name;
            }
            time = time.plus(Duration.ofMinutes(5));
        }
        awaitJobs(lastComplete, lastFailed);
    }

    @Test
    void startingDeadlineSkipsALateStart() {
        CronJob late = create("late", "*/5 * * * *", c -> c.withStartingDeadlineSeconds(10L));
        Instant due = nextFiveMinutes(created(late));
        tickTo(due.plusSeconds(30));
        Await.until(WAIT, "MissSchedule event", () -> hasEvent("MissSchedule", "Missed scheduled time to start a job: " + due));
        assertThat(jobNames()).isEmpty();
    }

    @Test
    void tooManyMissedStartTimesWarnAndStartTheMostRecent() {
        CronJob busy = create("busy", "* * * * *", c -> c);
        Instant created = created(busy);
        Instant later = created.plus(Duration.ofMinutes(200)).truncatedTo(ChronoUnit.MINUTES).plusSeconds(5);
        tickTo(later);
        Await.until(WAIT, "TooManyMissedTimes warning", () -> hasEvent("TooManyMissedTimes", null));
        awaitJobs("busy-" + later.getEpochSecond() / 60);
    }

    private CronJob create(String name, String schedule, UnaryOperator<io.fabric8.kubernetes.api.model.batch.v1.CronJobSpecBuilder> spec) {
        var builder = new io.fabric8.kubernetes.api.model.batch.v1.CronJobSpecBuilder().withSchedule(schedule)
                .withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec().endJobTemplate();
        return client.batch().v1().cronjobs().inNamespace(ns).resource(new CronJobBuilder().withNewMetadata().withName(name)
                .endMetadata().withSpec(spec.apply(builder).build()).build()).create();
    }

    private static Instant created(CronJob cronJob) {
        return Instant.parse(cronJob.getMetadata().getCreationTimestamp());
    }

    private static Instant nextFiveMinutes(Instant after) {
        Instant minute = after.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        while (minute.getEpochSecond() / 60 % 5 != 0) {
            minute = minute.plus(Duration.ofMinutes(1));
        }
        return minute;
    }

    /** Moves the clock and touches every CronJob so the controller looks at them at the new time. */
    private void tickTo(Instant instant) {
        clock.set(instant);
        ticks++;
        for (CronJob cronJob : client.batch().v1().cronjobs().inNamespace(ns).list().getItems()) {
            client.batch().v1().cronjobs().inNamespace(ns).withName(cronJob.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"test/tick\":\"" + ticks + "\"}}}");
        }
    }

    private CronJob cronJob(String name) {
        return client.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
    }

    private List<String> jobNames() {
        return client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .filter(j -> j.getMetadata().getDeletionTimestamp() == null).map(j -> j.getMetadata().getName()).sorted().toList();
    }

    private void awaitJobs(String... names) {
        List<String> expected = java.util.Arrays.stream(names).sorted().toList();
        Await.until(WAIT, "jobs " + expected, () -> jobNames().equals(expected));
    }

    /** Writes the Job's status as the Job controller would on finishing it. */
    private void finish(String name, String type) {
        Job job = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        Job finished = new JobBuilder(job).editOrNewStatus().withStartTime(now)
                .withCompletionTime("Complete".equals(type) ? now : null)
                .withConditions(new JobConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now)
                        .withLastProbeTime(now).withReason("Complete".equals(type) ? "CompletionsReached" : "BackoffLimitExceeded")
                        .build())
                .endStatus().build();
        client.batch().v1().jobs().inNamespace(ns).resource(finished).updateStatus();
    }

    private boolean hasEvent(String reason, String message) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> reason.equals(e.getReason()) && (message == null || message.equals(e.getMessage())));
    }
}
