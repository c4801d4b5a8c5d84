package dev.flotilla.scheduler;

import dev.flotilla.scheduler.cache.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a preemption decision, as upstream's PrepareCandidate: each victim gets the condition
 * {@code DisruptionTarget=True, reason PreemptionByScheduler}, is deleted, and gets the event
 * {@code Preempted: Preempted by pod <uid> on node <node>}; lower-priority pods nominated to the
 * same node lose their nomination. Asynchronous; failures are logged (the next cycle looks again).
 */
final class VictimEviction {

    private static final Logger LOG = LoggerFactory.getLogger(VictimEviction.class);

    private final ApiRequests api;
    private final String schedulerName;
    private final SchedulingOutcomes outcomes;
    private final Store<Pod> pods;
    private final PriorityResolver priorities;

    /** {@code schedulerName}: the preemptor's profile, named in the victims' DisruptionTarget condition. */
    VictimEviction(ApiRequests api, String schedulerName, SchedulingOutcomes outcomes, Store<Pod> pods,
            PriorityResolver priorities) {
        this.api = api;
        this.schedulerName = schedulerName;
        this.outcomes = outcomes;
        this.pods = pods;
        this.priorities = priorities;
    }

    void evict(Pod preemptor, String nodeName, List<PodInfo> victims, int preemptorPriority) {
        for (PodInfo victim : victims) {
            Pod pod = victim.pod();
            String path = SchedulingOutcomes.podPath(pod);
            api.strategicMergePatch(path + "/status", Map.of("status", Map.of("conditions", List.of(disruptionTarget()))))
                    .exceptionally(error -> null)
                    .thenCompose(ignored -> api.delete(path))
                    .whenComplete((ok, error) -> {
                        if (error == null) {
                            outcomes.preempted(pod, preemptor, nodeName);
                        } else {
                            LOG.warn("cannot preempt {}: {}", victim.key(), error.getMessage());
                        }
                    });
        }
        for (Pod nominated : pods.list()) {
            if (nominated.getStatus() != null && nodeName.equals(nominated.getStatus().getNominatedNodeName())
                    && !PodInfo.keyOf(nominated).equals(PodInfo.keyOf(preemptor))
                    && priorities.priorityOf(nominated) < preemptorPriority) {
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("nominatedNodeName", null);
                api.strategicMergePatch(SchedulingOutcomes.podPath(nominated) + "/status", Map.of("status", status))
                        .exceptionally(error -> null);
            }
        }
    }

    private Map<String, Object> disruptionTarget() {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", "DisruptionTarget");
        condition.put("status", "True");
        condition.put("lastTransitionTime", SchedulingOutcomes.now());
        condition.put("reason", "PreemptionByScheduler");
        condition.put("message", schedulerName + ": preempting to accommodate a higher priority pod");
        return condition;
    }
}
