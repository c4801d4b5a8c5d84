package dev.flotilla.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.node.eviction.EvictionSettings;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodePressureTest {

    private static final String NOW = "2026-11-22T12:00:00Z";

    @Test
    void healthyNodeReportsNoPressureInUpstreamsWords() {
        List<NodeCondition> conditions = NodePressure.conditions(Set.of(), NOW, (type, status, now) -> now);
        assertThat(conditions).extracting(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
                .containsExactly(
                        "MemoryPressure=False KubeletHasSufficientMemory: kubelet has sufficient memory available",
                        "DiskPressure=False KubeletHasNoDiskPressure: kubelet has no disk pressure",
                        "PIDPressure=False KubeletHasSufficientPID: kubelet has sufficient PID available");
    }

    @Test
    void eachPressureTurnsItsConditionTrueAndKeepsItsTransitionTime() {
        List<NodeCondition> conditions = NodePressure.conditions(Set.of("MemoryPressure", "DiskPressure", "PIDPressure"),
                NOW, (t, s, n) -> "2026-11-22T11:00:00Z");
        assertThat(conditions).extracting(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
                .containsExactly(
                        "MemoryPressure=True KubeletHasInsufficientMemory: kubelet has insufficient memory available",
                        "DiskPressure=True KubeletHasDiskPressure: kubelet has disk pressure",
                        "PIDPressure=True KubeletHasInsufficientPID: kubelet has insufficient PID available");
        assertThat(conditions.get(0).getLastTransitionTime()).isEqualTo("2026-11-22T11:00:00Z");
    }

    @Test
    void allocatableKeepsTheHardEvictionThresholdsBack() {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity("2"));
        capacity.put("memory", new Quantity("2097152Ki"));
        capacity.put("pods", new Quantity("110"));
        capacity.put("ephemeral-storage", new Quantity("1000000Ki"));
        Map<String, Quantity> allocatable = NodeStatusReporter.allocatable(capacity, EvictionSettings.defaults());
        assertThat(allocatable.get("memory")).isEqualTo(new Quantity((2097152 - 102400) + "Ki"));
        assertThat(allocatable.get("ephemeral-storage")).isEqualTo(new Quantity("900000Ki"));
        assertThat(allocatable.get("cpu")).isEqualTo(new Quantity("2"));

        Map<String, Quantity> configured = NodeStatusReporter.allocatable(capacity, EvictionSettings.fromOptions(
                Map.of("eviction-hard", "memory.available<1Gi,nodefs.available<1%")));
        assertThat(configured.get("memory")).isEqualTo(new Quantity((2097152 - 1048576) + "Ki"));
        assertThat(configured.get("ephemeral-storage")).isEqualTo(new Quantity("990000Ki"));
        Map<String, Quantity> none = NodeStatusReporter.allocatable(capacity, EvictionSettings.fromOptions(
                Map.of("eviction-hard", "pid.available<1%")));
        assertThat(none.get("memory")).as("no memory threshold, nothing kept back").isEqualTo(new Quantity("2097152Ki"));
    }
}
