package dev.flotilla.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading and writing a Job's status conditions ({@code Complete}, {@code Failed}, {@code Suspended}). */
public final class JobConditions {

    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";
    public static final String SUSPENDED = "Suspended";

    private JobConditions() {
    }

    public static Optional<JobCondition> trueCondition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    /** The Complete or Failed condition once the Job has finished. */
    public static Optional<JobCondition> finished(Job job) {
        return trueCondition(job, COMPLETE).or(() -> trueCondition(job, FAILED));
    }

    public static boolean isFinished(Job job) {
        return finished(job).isPresent();
    }

    /** Sets a condition; the transition time changes only when the status does. Returns whether anything changed. */
    static boolean set(JobStatus status, String type, String value, String reason, String message, Instant now) {
        List<JobCondition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
        String time = Times.format(now);
        for (int i = 0; i < conditions.size(); i++) {
            JobCondition existing = conditions.get(i);
            if (type.equals(existing.getType())) {
                if (value.equals(existing.getStatus()) && reason.equals(existing.getReason())) {
                    return false;
                }
                conditions.set(i, new JobConditionBuilder(existing).withStatus(value).withReason(reason).withMessage(message)
                        .withLastProbeTime(time)
                        .withLastTransitionTime(value.equals(existing.getStatus()) ? existing.getLastTransitionTime() : time)
                        .build());
                status.setConditions(conditions);
                return true;
            }
        }
        conditions.add(new JobConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withLastProbeTime(time).withLastTransitionTime(time).build());
        status.setConditions(conditions);
        return true;
    }
}
