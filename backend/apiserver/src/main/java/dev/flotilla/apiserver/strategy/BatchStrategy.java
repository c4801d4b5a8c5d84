package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.cron.CronSchedule;
import dev.flotilla.api.cron.CronSyntaxException;
import dev.flotilla.api.status.FieldError;
import jakarta.inject.Singleton;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Jobs and CronJobs: upstream's defaults (one completion at parallelism one, back-off limit 6,
 * NonIndexed; CronJob history limits 3 and 1, concurrency Allow), the Job selector generated from
 * its uid unless {@code manualSelector} is set, pod templates that restart OnFailure or Never, a
 * parsable cron schedule and time zone, what may not change once a Job runs, and the Orphan
 * default propagation policy of Jobs.
 */
@Singleton
public class BatchStrategy implements KindStrategy {

    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";
    private static final List<String> TEMPLATE_RESTART_POLICIES = List.of("OnFailure", "Never");
    private static final List<String> CONCURRENCY_POLICIES = List.of("Allow", "Forbid", "Replace");
    private static final int CRONJOB_NAME_MAX = 52;

    @Override
    public Set<String> kinds() {
        return Set.of("batch/Job", "batch/CronJob");
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        if (isJob(object)) {
            ObjectNode spec = object.with("spec");
            defaultJobSpec(spec);
            if (!spec.path("manualSelector").asBoolean(false)) {
                generateSelector(object, spec);
            }
        } else {
            ObjectNode spec = object.with("spec");
            Fields.defaultText(spec, "concurrencyPolicy", "Allow");
            Fields.defaultBool(spec, "suspend", false);
            Fields.defaultInt(spec, "successfulJobsHistoryLimit", 3);
            Fields.defaultInt(spec, "failedJobsHistoryLimit", 1);
            JsonNode jobSpec = spec.path("jobTemplate").path("spec");
            if (jobSpec instanceof ObjectNode job) {
                defaultJobSpec(job);
            }
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        ObjectNode spec = updated.with("spec");
        if (isJob(updated)) {
            defaultJobSpec(spec);
            if (!spec.has("selector") && old.path("spec").has("selector")) {
                spec.set("selector", old.path("spec").path("selector").deepCopy());
            }
        } else {
            prepareForCreate(updated);
        }
    }

    private static void defaultJobSpec(ObjectNode spec) {
        if (!spec.hasNonNull("completions") && !spec.hasNonNull("parallelism")) {
            spec.put("completions", 1);
        }
        Fields.defaultInt(spec, "parallelism", 1);
        Fields.defaultInt(spec, "backoffLimit", spec.hasNonNull("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        Fields.defaultText(spec, "completionMode", "NonIndexed");
        Fields.defaultBool(spec, "suspend", false);
        Fields.defaultText(spec, "podReplacementPolicy", spec.has("podFailurePolicy") ? "Failed"
                : "TerminatingOrFailed");
        JsonNode podSpec = spec.path("template").path("spec");
        if (podSpec instanceof ObjectNode pod) {
            PodDefaults.apply(pod);
        }
    }

    /** Upstream labels the pods with the Job's uid and name and selects on the uid. */
    private static void generateSelector(ObjectNode job, ObjectNode spec) {
        String uid = job.path("metadata").path("uid").asText();
        String name = job.path("metadata").path("name").asText();
        ObjectNode labels = spec.with("template").with("metadata").with("labels");
        labels.put(CONTROLLER_UID, uid);
        labels.put(JOB_NAME, name);
        labels.put("controller-uid", uid);
        labels.put("job-name", name);
        ObjectNode selector = spec.putObject("selector");
        selector.putObject("matchLabels").put(CONTROLLER_UID, uid);
    }

    @Override
    public List<FieldError> validate(ObjectNode object) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = object.path("spec");
        if (isJob(object)) {
            errors.addAll(validateJobSpec(spec, "spec"));
            if (spec.path("manualSelector").asBoolean(false) && Fields.isBlank(spec.path("selector"))) {
                errors.add(FieldError.required("spec.selector", ""));
            }
            return errors;
        }
        String name = object.path("metadata").path("name").asText("");
        if (name.length() > CRONJOB_NAME_MAX) {
            errors.add(FieldError.invalid("metadata.name", name, "must be no more than " + CRONJOB_NAME_MAX
                    + " characters"));
        }
        String schedule = spec.path("schedule").asText("");
        if (schedule.isEmpty()) {
            errors.add(FieldError.required("spec.schedule", ""));
        } else if (schedule.contains("TZ")) {
            errors.add(FieldError.invalid("spec.schedule", schedule,
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
        } else {
            try {
                CronSchedule.parse(schedule);
            } catch (CronSyntaxException e) {
                errors.add(FieldError.invalid("spec.schedule", schedule, e.getMessage()));
            }
        }
        if (spec.hasNonNull("timeZone")) {
            String zone = spec.path("timeZone").asText();
            try {
                ZoneId.of(zone);
            } catch (DateTimeException e) {
                errors.add(FieldError.invalid("spec.timeZone", zone, "unknown time zone " + zone));
            }
        }
        String concurrency = spec.path("concurrencyPolicy").asText("Allow");
        if (!CONCURRENCY_POLICIES.contains(concurrency)) {
            errors.add(FieldError.notSupported("spec.concurrencyPolicy", concurrency, CONCURRENCY_POLICIES));
        }
        for (String limit : List.of("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
            if (spec.hasNonNull(limit) && spec.path(limit).asLong() < 0) {
                errors.add(FieldError.invalid("spec." + limit, spec.path(limit).asLong(),
                        "must be greater than or equal to 0"));
            }
        }
        errors.addAll(validateJobSpec(spec.path("jobTemplate").path("spec"), "spec.jobTemplate.spec"));
        return errors;
    }

    private static List<FieldError> validateJobSpec(JsonNode spec, String path) {
        List<FieldError> errors = new ArrayList<>();
        for (String count : List.of("parallelism", "completions", "backoffLimit", "activeDeadlineSeconds",
                "ttlSecondsAfterFinished")) {
            if (spec.hasNonNull(count) && spec.path(count).asLong() < 0) {
                errors.add(FieldError.invalid(path + "." + count, spec.path(count).asLong(),
                        "must be greater than or equal to 0"));
            }
        }
        String mode = spec.path("completionMode").asText("NonIndexed");
        if (!List.of("NonIndexed", "Indexed").contains(mode)) {
            errors.add(FieldError.notSupported(path + ".completionMode", mode, List.of("NonIndexed", "Indexed")));
        } else if (mode.equals("Indexed") && !spec.hasNonNull("completions")) {
            errors.add(FieldError.required(path + ".completions", "when completion mode is Indexed"));
        }
        JsonNode podSpec = spec.path("template").path("spec");
        String restart = podSpec.path("restartPolicy").asText("");
        if (!TEMPLATE_RESTART_POLICIES.contains(restart)) {
            errors.add(FieldError.notSupported(path + ".template.spec.restartPolicy", restart,
                    TEMPLATE_RESTART_POLICIES));
        }
        errors.addAll(PodDefaults.validateSpec(podSpec, path + ".template.spec"));
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(updated));
        if (!isJob(updated)) {
            return errors;
        }
        JsonNode spec = updated.path("spec");
        JsonNode oldSpec = old.path("spec");
        for (String field : List.of("selector", "completionMode", "podFailurePolicy", "backoffLimitPerIndex")) {
            if (!Fields.semanticallyEqual(spec.path(field), oldSpec.path(field))) {
                errors.add(FieldError.immutable("spec." + field, spec.path(field).toString()));
            }
        }
        // A running Job's pods are fixed; a suspended one may still change its template, as upstream.
        if (!oldSpec.path("suspend").asBoolean(false)
                && !Fields.semanticallyEqual(spec.path("template"), oldSpec.path("template"))) {
            errors.add(FieldError.immutable("spec.template", new FieldError.GoValue("core.PodTemplateSpec{...}")));
        }
        return errors;
    }

    /** batch/v1 Jobs orphan their pods when a DELETE names no policy, as upstream keeps for compatibility. */
    @Override
    public String defaultPropagationPolicy(ObjectNode object) {
        return isJob(object) ? "Orphan" : "Background";
    }

    private static boolean isJob(ObjectNode object) {
        return object.path("kind").asText().equals("Job");
    }
}
