package dev.flotilla.controllers.job;

import dev.flotilla.controllers.framework.ApiFailures;
import dev.flotilla.controllers.framework.EventRecorder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The pods of a Job: what they look like, reading their index and phase, and the tracking finalizer. */
public final class JobPods {

    public static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    static final String INDEX_ENV = "JOB_COMPLETION_INDEX";

    private final KubernetesClient client;
    private final EventRecorder events;

    JobPods(KubernetesClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    /** Creates one pod from the template (index null: NonIndexed); returns its server-assigned name. */
    String create(Job job, Integer index) {
        var template = job.getSpec().getTemplate();
        String jobName = job.getMetadata().getName();
        Map<String, String> labels = new HashMap<>(template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of() : template.getMetadata().getLabels());
        Map<String, String> annotations = new HashMap<>(template.getMetadata() == null
                || template.getMetadata().getAnnotations() == null ? Map.of() : template.getMetadata().getAnnotations());
        PodBuilder pod = new PodBuilder().withNewMetadata()
                .withGenerateName(index == null ? jobName + "-" : jobName + "-" + index + "-")
                .withNamespace(job.getMetadata().getNamespace())
                .withOwnerReferences(owner(job))
                .withFinalizers(TRACKING_FINALIZER)
                .endMetadata()
                .withSpec(template.getSpec());
        if (index != null) {
            labels.put(COMPLETION_INDEX, index.toString());
            annotations.put(COMPLETION_INDEX, index.toString());
            pod.editSpec().withHostname(jobName + "-" + index)
                    .withContainers(withIndexEnv(template.getSpec().getContainers()))
                    .withInitContainers(withIndexEnv(template.getSpec().getInitContainers())).endSpec();
        }
        pod.editMetadata().withLabels(labels).withAnnotations(annotations).endMetadata();
        try {
            Pod created = client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod.build()).create();
            events.normal(job, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            return created.getMetadata().getName();
        } catch (KubernetesClientException e) {
            events.warning(job, "FailedCreate", "Error creating: " + ApiFailures.message(e));
            throw e;
        }
    }

    /** Upstream gives each container the index through the downward API. */
    private static List<Container> withIndexEnv(List<Container> containers) {
        if (containers == null) {
            return null;
        }
        List<Container> copies = new ArrayList<>();
        for (Container container : containers) {
            List<EnvVar> env = new ArrayList<>(container.getEnv() == null ? List.of() : container.getEnv());
            if (env.stream().noneMatch(e -> INDEX_ENV.equals(e.getName()))) {
                env.add(new EnvVarBuilder().withName(INDEX_ENV).withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.annotations['" + COMPLETION_INDEX + "']").endFieldRef().endValueFrom().build());
            }
            copies.add(new io.fabric8.kubernetes.api.model.ContainerBuilder(container).withEnv(env).build());
        }
        return copies;
    }

    private static OwnerReference owner(Job job) {
        return new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** Removes the tracking finalizer; a pod that is gone already counts as done. */
    void removeFinalizer(Pod pod) {
        if (!hasFinalizer(pod)) {
            return;
        }
        try {
            patchOutFinalizer(pod);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            if (e.getCode() != 422 && e.getCode() != 409) {
                throw e;
            }
            // The cached finalizer list was stale: retry once against the live pod.
            Pod live = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
            if (live != null && hasFinalizer(live)) {
                patchOutFinalizer(live);
            }
        }
    }

    private void patchOutFinalizer(Pod pod) {
        int at = pod.getMetadata().getFinalizers().indexOf(TRACKING_FINALIZER);
        // The test op refuses the patch if the list changed since it was read, so no other finalizer is removed.
        String patch = "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/" + at + "\",\"value\":\"" + TRACKING_FINALIZER
                + "\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + at + "\"}]";
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON), patch);
    }

    /** Deletes a pod the Job no longer wants, after releasing it so that it is not counted as failed. */
    void delete(Job job, Pod pod) {
        removeFinalizer(pod);
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
            events.normal(job, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    static boolean hasFinalizer(Pod pod) {
        return pod.getMetadata().getFinalizers() != null && pod.getMetadata().getFinalizers().contains(TRACKING_FINALIZER);
    }

    static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    static boolean succeeded(Pod pod) {
        return "Succeeded".equals(phase(pod));
    }

    /** Failed, or deleted before it finished while the Job still tracked it. */
    static boolean failed(Pod pod) {
        return "Failed".equals(phase(pod)) || (pod.getMetadata().getDeletionTimestamp() != null && !succeeded(pod));
    }

    static boolean active(Pod pod) {
        return !succeeded(pod) && !failed(pod);
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static Integer index(Pod pod) {
        String value = pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(COMPLETION_INDEX);
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
