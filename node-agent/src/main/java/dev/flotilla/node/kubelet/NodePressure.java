package dev.flotilla.node.kubelet;

import dev.flotilla.node.eviction.Signal;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.util.List;
import java.util.Set;

/**
 * The node's MemoryPressure, DiskPressure and PIDPressure conditions in upstream's words, from the
 * conditions the eviction manager holds True (thresholds met, kept for the pressure transition period).
 */
final class NodePressure {

    private NodePressure() {
    }

    /** MemoryPressure, DiskPressure, PIDPressure, in upstream's order and words. */
    static List<NodeCondition> conditions(Set<String> underPressure, String now, ConditionSince since) {
        return List.of(
                condition(Signal.MEMORY_PRESSURE, underPressure.contains(Signal.MEMORY_PRESSURE),
                        "KubeletHasInsufficientMemory", "kubelet has insufficient memory available",
                        "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now, since),
                condition(Signal.DISK_PRESSURE, underPressure.contains(Signal.DISK_PRESSURE), "KubeletHasDiskPressure",
                        "kubelet has disk pressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now, since),
                condition(Signal.PID_PRESSURE, underPressure.contains(Signal.PID_PRESSURE), "KubeletHasInsufficientPID",
                        "kubelet has insufficient PID available", "KubeletHasSufficientPID",
                        "kubelet has sufficient PID available", now, since));
    }

    /** When the condition of this type last took this status (kept while unchanged). */
    interface ConditionSince {
        String since(String type, String status, String now);
    }

    private static NodeCondition condition(String type, boolean pressure, String trueReason, String trueMessage,
                                           String falseReason, String falseMessage, String now, ConditionSince since) {
        String status = pressure ? "True" : "False";
        return new NodeConditionBuilder().withType(type).withStatus(status)
                .withReason(pressure ? trueReason : falseReason).withMessage(pressure ? trueMessage : falseMessage)
                .withLastHeartbeatTime(now).withLastTransitionTime(since.since(type, status, now)).build();
    }
}
