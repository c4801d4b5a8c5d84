package dev.flotilla.controllers.cronjob;

import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.job.JobConditions;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;

/** Deletes a CronJob's oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
final class JobHistory {

    private final KubernetesClient client;
    private final EventRecorder events;

    JobHistory(KubernetesClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    void trim(CronJob cronJob, List<Job> owned) {
        List<Job> live = owned.stream().filter(j -> j.getMetadata().getDeletionTimestamp() == null).toList();
        trim(cronJob, live.stream().filter(j -> JobConditions.trueCondition(j, JobConditions.COMPLETE).isPresent()).toList(),
                cronJob.getSpec().getSuccessfulJobsHistoryLimit());
        trim(cronJob, live.stream().filter(j -> JobConditions.trueCondition(j, JobConditions.FAILED).isPresent()).toList(),
                cronJob.getSpec().getFailedJobsHistoryLimit());
    }

    private void trim(CronJob cronJob, List<Job> finished, Integer limit) {
        if (limit == null || finished.size() <= limit) {
            return;
        }
        // Oldest first by start time, as upstream sorts them; a Job that never started sorts first.
        List<Job> oldest = finished.stream().sorted(Comparator.comparing((Job j) -> j.getStatus() == null
                || j.getStatus().getStartTime() == null ? "" : j.getStatus().getStartTime())
                .thenComparing(j -> j.getMetadata().getName())).limit(finished.size() - limit).toList();
        for (Job job : oldest) {
            try {
                client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                events.normal(cronJob, "SuccessfulDelete", "Deleted job " + job.getMetadata().getName());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }
}
