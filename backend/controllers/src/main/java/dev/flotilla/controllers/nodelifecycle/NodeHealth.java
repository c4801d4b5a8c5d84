package dev.flotilla.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a node's health means for its status and taints, as upstream's node lifecycle controller
 * words it: a node not heard from within the grace period has its kubelet conditions set Unknown
 * ({@code NodeStatusUnknown}, "Kubelet stopped posting node status."; {@code NodeStatusNeverUpdated}
 * for one never posted), and Ready=False / Ready=Unknown become the not-ready / unreachable taints
 * with NoSchedule and NoExecute effects.
 */
final class NodeHealth {

    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final List<String> KUBELET_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
    /** Upstream's taint-nodes-by-condition: a pressure condition that is True keeps new pods off the node. */
    static final Map<String, String> PRESSURE_TAINTS = Map.of(
            "MemoryPressure", "node.kubernetes.io/memory-pressure",
            "DiskPressure", "node.kubernetes.io/disk-pressure",
            "PIDPressure", "node.kubernetes.io/pid-pressure");

    private NodeHealth() {
    }

    /** The node's conditions with every kubelet condition Unknown, or null when they are already. */
    static List<NodeCondition> unknownConditions(Node node, String now) {
        List<NodeCondition> current = node.getStatus() == null || node.getStatus().getConditions() == null ? List.of()
                : node.getStatus().getConditions();
        List<NodeCondition> result = new ArrayList<>();
        boolean changed = false;
        for (String type : KUBELET_CONDITIONS) {
            NodeCondition existing = current.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
            if (existing != null && "Unknown".equals(existing.getStatus())) {
                result.add(existing);
                continue;
            }
            changed = true;
            result.add(new NodeConditionBuilder().withType(type).withStatus("Unknown")
                    .withReason(existing == null ? "NodeStatusNeverUpdated" : "NodeStatusUnknown")
                    .withMessage(existing == null ? "Kubelet never posted node status." : "Kubelet stopped posting node status.")
                    .withLastHeartbeatTime(existing == null ? null : existing.getLastHeartbeatTime())
                    .withLastTransitionTime(now).build());
        }
        current.stream().filter(c -> !KUBELET_CONDITIONS.contains(c.getType())).forEach(result::add);
        return changed ? result : null;
    }

    static String readyStatus(Node node) {
        return conditionStatus(node, "Ready");
    }

    private static String conditionStatus(Node node, String type) {
        if (node.getStatus() == null) {
            return "Unknown";
        }
        return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
                .map(NodeCondition::getStatus).findFirst().orElse("Unknown");
    }

    /**
     * The node's taints with the not-ready/unreachable ones matching its Ready condition (the
     * NoExecute one only when {@code noExecuteAllowed}, the eviction rate limit) and a NoSchedule
     * pressure taint for each pressure condition that is True. Existing taints keep their timeAdded.
     * Null when nothing changes.
     */
    static List<Taint> taints(Node node, boolean noExecuteAllowed, String now) {
        String ready = readyStatus(node);
        String wanted = switch (ready) {
            case "False" -> NOT_READY;
            case "True" -> null;
            default -> UNREACHABLE;
        };
        List<Taint> current = node.getSpec() == null ? List.of() : node.getSpec().getTaints();
        List<Taint> result = new ArrayList<>();
        List<String> pressures = new ArrayList<>();
        PRESSURE_TAINTS.forEach((condition, key) -> {
            if ("True".equals(conditionStatus(node, condition))) {
                pressures.add(key);
            }
        });
        for (Taint taint : current) {
            boolean lifecycle = NOT_READY.equals(taint.getKey()) || UNREACHABLE.equals(taint.getKey());
            boolean pressure = PRESSURE_TAINTS.containsValue(taint.getKey());
            if ((!lifecycle && !pressure) || taint.getKey().equals(wanted) || pressures.contains(taint.getKey())) {
                result.add(taint);
            }
        }
        if (wanted != null) {
            addIfMissing(result, wanted, "NoSchedule", null);
            if (noExecuteAllowed) {
                addIfMissing(result, wanted, "NoExecute", now);
            }
        }
        pressures.stream().sorted().forEach(key -> addIfMissing(result, key, "NoSchedule", null));
        return Objects.equals(result, current) ? null : result;
    }

    static boolean hasNoExecute(Node node, String key) {
        return node.getSpec() != null && node.getSpec().getTaints().stream()
                .anyMatch(t -> key.equals(t.getKey()) && "NoExecute".equals(t.getEffect()));
    }

    private static void addIfMissing(List<Taint> taints, String key, String effect, String timeAdded) {
        if (taints.stream().noneMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()))) {
            taints.add(new TaintBuilder().withKey(key).withEffect(effect).withTimeAdded(timeAdded).build());
        }
    }
}
