package dev.flotilla.scheduler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What users see of a scheduling decision, in upstream's words: a {@code Scheduled} event
 * ({@code Successfully assigned ns/pod to node}), or a {@code FailedScheduling} warning and the
 * condition {@code PodScheduled=False, reason Unschedulable} with the explanation. Events are best
 * effort: beyond a backlog of writes they are dropped, as upstream's event broadcaster drops them.
 */
final class SchedulingOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulingOutcomes.class);
    private static final int MAX_EVENTS_IN_FLIGHT = 256;

    private final ApiRequests api;
    private final String schedulerName;
    private final String identity;
    private final Semaphore eventSlots;

    /** Events name {@code schedulerName} (the pod's profile) as their source and reporting controller. */
    private SchedulingOutcomes(ApiRequests api, String schedulerName, String identity, Semaphore eventSlots) {
        this.api = api;
        this.schedulerName = schedulerName;
        this.identity = identity;
        this.eventSlots = eventSlots;
    }

    SchedulingOutcomes(ApiRequests api, String schedulerName, String identity) {
        this(api, schedulerName, identity, new Semaphore(MAX_EVENTS_IN_FLIGHT));
    }

    /** The same, reporting as another profile; the backlog of event writes is shared. */
    SchedulingOutcomes forProfile(String profileSchedulerName) {
        return new SchedulingOutcomes(api, profileSchedulerName, identity, eventSlots);
    }

    void scheduled(Pod pod, String nodeName) {
        event(pod, "Normal", "Scheduled", "Scheduling", null, "Successfully assigned " + pod.getMetadata().getNamespace() + "/"
                + pod.getMetadata().getName() + " to " + nodeName);
    }

    /** A failure to place or bind the pod: the event, and the condition unless it already says the same. */
    void failed(Pod pod, String message) {
        failed(pod, message, null);
    }

    /**
     * As {@link #failed(Pod, String)}, also setting {@code status.nominatedNodeName} (preemption
     * chose a node; empty clears an earlier nomination; null leaves it).
     */
    void failed(Pod pod, String message, String nominatedNodeName) {
        event(pod, "Warning", "FailedScheduling", "Scheduling", null, message);
        PodCondition current = pod.getStatus() == null ? null : pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
        String currentNomination = pod.getStatus() == null || pod.getStatus().getNominatedNodeName() == null
                ? "" : pod.getStatus().getNominatedNodeName();
        boolean nominationUnchanged = nominatedNodeName == null || nominatedNodeName.equals(currentNomination);
        if (current != null && "False".equals(current.getStatus()) && "Unschedulable".equals(current.getReason())
                && message.equals(current.getMessage()) && nominationUnchanged) {
            return;
        }
        String transition = current != null && "False".equals(current.getStatus()) && current.getLastTransitionTime() != null
                ? current.getLastTransitionTime() : now();
        Map<String, Object> condition = new java.util.LinkedHashMap<>();
        condition.put("type", "PodScheduled");
        condition.put("status", "False");
        condition.put("lastProbeTime", null);
        condition.put("lastTransitionTime", transition);
        condition.put("reason", "Unschedulable");
        condition.put("message", message);
        Map<String, Object> status = new java.util.HashMap<>();
        status.put("conditions", List.of(condition));
        if (!nominationUnchanged) {
            status.put("nominatedNodeName", nominatedNodeName.isEmpty() ? null : nominatedNodeName);
        }
        api.strategicMergePatch(podPath(pod) + "/status", Map.of("status", status))
                .exceptionally(error -> {
                    LOG.debug("cannot set PodScheduled on {}: {}", pod.getMetadata().getName(), error.getMessage());
                    return null;
                });
    }

    /** Upstream's event on a preemption victim, related to the preemptor. */
    void preempted(Pod victim, Pod preemptor, String nodeName) {
        event(victim, "Normal", "Preempted", "Preempting", preemptor,
                "Preempted by pod " + preemptor.getMetadata().getUid() + " on node " + nodeName);
    }

    private void event(Pod pod, String type, String reason, String action, Pod related, String message) {
        if (!eventSlots.tryAcquire()) {
            return;
        }
        String now = now();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(pod.getMetadata().getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1))
                .withNamespace(pod.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Pod")
                .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).withResourceVersion(pod.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message).withAction(action)
                .withRelated(related == null ? null : new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
                        .withApiVersion("v1").withKind("Pod").withNamespace(related.getMetadata().getNamespace())
                        .withName(related.getMetadata().getName()).withUid(related.getMetadata().getUid()).build())
                .withNewSource().withComponent(schedulerName).endSource()
                .withReportingComponent(schedulerName).withReportingInstance(identity)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withEventTime(new MicroTime(DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.MICROS))))
                .build();
        api.post("/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/events", event)
                .whenComplete((ok, error) -> {
                    eventSlots.release();
                    if (error != null) {
                        LOG.debug("cannot record event {} for {}: {}", reason, pod.getMetadata().getName(), error.getMessage());
                    }
                });
    }

    static String podPath(Pod pod) {
        return "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName();
    }

    static String now() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }
}
