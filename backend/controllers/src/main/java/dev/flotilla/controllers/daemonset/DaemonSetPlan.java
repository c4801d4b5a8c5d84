package dev.flotilla.controllers.daemonset;

import dev.flotilla.controllers.deployment.RolloutMath;
import dev.flotilla.controllers.replicaset.PodStates;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One sync of a DaemonSet, decided as upstream's manage and rollingUpdate do: a pod for every node
 * that should run one, none where it must not continue to run, one per node (the oldest kept),
 * failed pods replaced; then RollingUpdate replaces pods not at the update hash, deleting at most
 * maxUnavailable available ones at a time (maxSurge 0) or starting the new pod beside the old one
 * on at most maxSurge nodes and deleting the old one once the new one is available. OnDelete only
 * fills nodes without a pod. Also the status counts.
 */
final class DaemonSetPlan {

    record Plan(List<String> createOn, List<Pod> delete, DaemonSetStatus status) {
    }

    private DaemonSetPlan() {
    }

    static Plan plan(DaemonSet set, PodSpec daemonPod, List<Node> nodes, List<Pod> pods, String updateHash, Instant now) {
        int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
        Map<String, List<Pod>> byNode = new HashMap<>();
        for (Pod pod : pods) {
            String node = DaemonPods.targetNode(pod);
            if (node != null && pod.getMetadata().getDeletionTimestamp() == null) {
                byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
            }
        }
        byNode.values().forEach(list -> list.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp(),
                Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(p -> p.getMetadata().getName())));
        boolean rolling = set.getSpec().getUpdateStrategy() == null
                || !"OnDelete".equals(set.getSpec().getUpdateStrategy().getType());
        int desired = 0;
        Map<String, NodeEligibility> eligible = new HashMap<>();
        for (Node node : nodes) {
            NodeEligibility e = NodeEligibility.of(daemonPod, node);
            eligible.put(node.getMetadata().getName(), e);
            if (e.shouldRun()) {
                desired++;
            }
        }
        int maxSurge = rolling ? scaled(set, true, desired) : 0;
        int maxUnavailable = rolling ? scaled(set, false, desired) : 0;
        if (rolling && maxSurge == 0 && maxUnavailable == 0) {
            maxUnavailable = 1;
        }

        List<String> createOn = new ArrayList<>();
        List<Pod> delete = new ArrayList<>();
        List<Pod> oldAvailable = new ArrayList<>();
        List<String> surgeCandidates = new ArrayList<>();
        int unavailable = 0;
        int surging = 0;
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            NodeEligibility e = eligible.get(name);
            List<Pod> onNode = byNode.getOrDefault(name, List.of());
            if (!e.shouldContinueRunning() || !e.shouldRun() && onNode.isEmpty()) {
                delete.addAll(onNode);
                continue;
            }
            List<Pod> running = new ArrayList<>();
            for (Pod pod : onNode) {
                if ("Failed".equals(PodStates.phase(pod)) || "Succeeded".equals(PodStates.phase(pod))) {
                    delete.add(pod);
                } else {
                    running.add(pod);
                }
            }
            if (running.isEmpty()) {
                if (e.shouldRun()) {
                    createOn.add(name);
                    // A node waiting for its pod is unavailable: it uses up the rollout's budget.
                    unavailable++;
                }
                continue;
            }
            Pod newest = running.stream().filter(p -> updateHash.equals(DaemonPods.hash(p))).findFirst().orElse(null);
            Pod oldest = running.stream().filter(p -> !updateHash.equals(DaemonPods.hash(p))).findFirst().orElse(null);
            // One pod per node; during a surge an old and a new one.
            List<Pod> keep = maxSurge > 0 && newest != null && oldest != null ? List.of(oldest, newest)
                    : List.of(running.get(0));
            running.stream().filter(p -> !keep.contains(p)).forEach(delete::add);
            if (!rolling) {
                continue;
            }
            Pod kept = keep.get(0);
            boolean updated = updateHash.equals(DaemonPods.hash(kept));
            if (keep.size() == 2) {
                surging++;
                if (PodStates.isAvailable(newest, minReady, now)) {
                    delete.add(oldest);
                }
            } else if (!updated) {
                if (!PodStates.isAvailable(kept, minReady, now)) {
                    delete.add(kept);
                } else if (maxSurge > 0) {
                    surgeCandidates.add(name);
                } else {
                    oldAvailable.add(kept);
                }
            } else if (!PodStates.isAvailable(kept, minReady, now)) {
                unavailable++;
            }
        }
        for (int i = 0; i < oldAvailable.size() && unavailable < maxUnavailable; i++) {
            delete.add(oldAvailable.get(i));
            unavailable++;
        }
        for (int i = 0; i < surgeCandidates.size() && surging < maxSurge; i++) {
            createOn.add(surgeCandidates.get(i));
            surging++;
        }
        return new Plan(createOn, delete, status(set, nodes, eligible, byNode, updateHash, minReady, now));
    }

    private static DaemonSetStatus status(DaemonSet set, List<Node> nodes, Map<String, NodeEligibility> eligible,
            Map<String, List<Pod>> byNode, String updateHash, int minReady, Instant now) {
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        for (Node node : nodes) {
            List<Pod> onNode = byNode.getOrDefault(node.getMetadata().getName(), List.of());
            if (eligible.get(node.getMetadata().getName()).shouldRun()) {
                desired++;
                if (!onNode.isEmpty()) {
                    current++;
                    Pod pod = onNode.get(0);
                    if (PodStates.isReady(pod)) {
                        ready++;
                        if (PodStates.isAvailable(pod, minReady, now)) {
                            available++;
                        }
                    }
                    if (onNode.stream().anyMatch(p -> updateHash.equals(DaemonPods.hash(p)))) {
                        updated++;
                    }
                }
            } else if (!onNode.isEmpty()) {
                misscheduled++;
            }
        }
        DaemonSetStatus status = new DaemonSetStatus();
        status.setDesiredNumberScheduled(desired);
        status.setCurrentNumberScheduled(current);
        status.setNumberMisscheduled(misscheduled);
        status.setNumberReady(ready);
        status.setNumberAvailable(available);
        status.setNumberUnavailable(desired - available);
        status.setUpdatedNumberScheduled(updated);
        status.setObservedGeneration(set.getMetadata().getGeneration());
        return status;
    }

    /** maxSurge (rounded up) or maxUnavailable (rounded down) of the desired number of nodes. */
    private static int scaled(DaemonSet set, boolean surge, int desired) {
        var rolling = set.getSpec().getUpdateStrategy() == null ? null : set.getSpec().getUpdateStrategy().getRollingUpdate();
        IntOrString value = rolling == null ? null : surge ? rolling.getMaxSurge() : rolling.getMaxUnavailable();
        if (value == null) {
            return surge ? 0 : 1;
        }
        return RolloutMath.scaled(value, desired, surge);
    }
}
