package dev.flotilla.controllers.replicaset;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pods a scale-down removes first, as upstream's ActivePodsWithRanks: unscheduled before
 * scheduled; Pending before Unknown before Running; not ready before ready; pods sharing their
 * node with more of the set's pods first; ready for less time first; more restarts first; newer
 * first.
 */
final class PodDeletionOrder {

    private PodDeletionOrder() {
    }

    /** The {@code count} pods to delete, in order. */
    static List<Pod> pick(List<Pod> pods, int count) {
        Map<String, Integer> perNode = new HashMap<>();
        for (Pod pod : pods) {
            String node = pod.getSpec().getNodeName();
            if (node != null && !node.isEmpty()) {
                perNode.merge(node, 1, Integer::sum);
            }
        }
        Comparator<Pod> order = Comparator
                .comparing((Pod p) -> p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty())
                .thenComparingInt(PodDeletionOrder::phaseRank)
                .thenComparing(PodStates::isReady)
                .thenComparing(p -> -perNode.getOrDefault(p.getSpec().getNodeName(), 0))
                .thenComparing(PodDeletionOrder::readySinceNewestFirst)
                .thenComparing(p -> -restarts(p))
                .thenComparing(PodDeletionOrder::createdNewestFirst);
        return pods.stream().sorted(order).limit(count).toList();
    }

    private static int phaseRank(Pod pod) {
        return switch (PodStates.phase(pod)) {
            case "Pending" -> 0;
            case "Running" -> 2;
            default -> 1;
        };
    }

    private static long readySinceNewestFirst(Pod pod) {
        Instant since = PodStates.isReady(pod) ? PodStates.readySince(pod) : null;
        return since == null ? 0 : -since.toEpochMilli();
    }

    private static long createdNewestFirst(Pod pod) {
        String created = pod.getMetadata().getCreationTimestamp();
        return created == null ? 0 : -Instant.parse(created).toEpochMilli();
    }

    private static int restarts(Pod pod) {
        if (pod.getStatus() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream().mapToInt(ContainerStatus::getRestartCount).max().orElse(0);
    }
}
