package dev.flotilla.e2e;

import dev.flotilla.testsupport.Await;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Plays the kubelet's part for Job tests: hollow nodes run pods but never finish them, so a test
 * reports a pod Succeeded or Failed (with an exit code) through pods/status, as a kubelet would.
 */
final class PodOutcomes {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final KubernetesClient client;
    private final String namespace;

    PodOutcomes(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The pods of a Job by its {@code batch.kubernetes.io/job-name} label. */
    List<Pod> podsOf(String job) {
        return client.pods().inNamespace(namespace).withLabel("batch.kubernetes.io/job-name", job).list().getItems();
    }

    List<Pod> running(String job) {
        return podsOf(job).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).toList();
    }

    /** Waits until the Job has {@code count} Running pods (so the hollow node will not overwrite what we report). */
    List<Pod> awaitRunning(String job, int count) {
        return Await.value(WAIT, count + " running pods of " + job, () -> {
            List<Pod> pods = running(job);
            return pods.size() == count ? pods : null;
        });
    }

    void succeed(Pod pod) {
        finish(pod, "Succeeded", 0);
    }

    void fail(Pod pod, int exitCode) {
        finish(pod, "Failed", exitCode);
    }

    private void finish(Pod pod, String phase, int exitCode) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Pod status = new PodBuilder().withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(namespace).endMetadata()
                .withNewStatus().withPhase(phase)
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus("False").withReason("PodCompleted")
                        .withLastTransitionTime(now).build())
                .withContainerStatuses(new ContainerStatusBuilder().withName(pod.getSpec().getContainers().get(0).getName())
                        .withImage(pod.getSpec().getContainers().get(0).getImage()).withReady(false).withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode(exitCode)
                        .withReason(exitCode == 0 ? "Completed" : "Error").withStartedAt(now).withFinishedAt(now)
                        .endTerminated().endState().build())
                .endStatus().build();
        client.pods().inNamespace(namespace).resource(status).patchStatus();
    }
}
