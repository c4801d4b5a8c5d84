package dev.flotilla.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodePressureTest {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final String NOW = "2026-11-22T12:00:00Z";

    @Test
    void healthyNodeReportsNoPressureInUpstreamsWords() {
        List<NodeCondition> conditions = NodePressure.conditions(
                new NodePressure.Reading(2 * GIB, 50 * GIB, 100 * GIB, 300, 4_194_304), NOW, (type, status, now) -> now);
        assertThat(conditions).extracting(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
                .containsExactly(
                        "MemoryPressure=False KubeletHasSufficientMemory: kubelet has sufficient memory available",
                        "DiskPressure=False KubeletHasNoDiskPressure: kubelet has no disk pressure",
                        "PIDPressure=False KubeletHasSufficientPID: kubelet has sufficient PID available");
    }

    @Test
    void eachHardThresholdTurnsItsConditionTrue() {
        var lowMemory = new NodePressure.Reading(99L * 1024 * 1024, 50 * GIB, 100 * GIB, 300, 32_768);
        var fullDisk = new NodePressure.Reading(2 * GIB, 9 * GIB, 100 * GIB, 300, 32_768);
        var manyProcesses = new NodePressure.Reading(2 * GIB, 50 * GIB, 100 * GIB, 31_500, 32_768);
        assertThat(NodePressure.memoryPressure(lowMemory)).isTrue();
        assertThat(NodePressure.diskPressure(fullDisk)).isTrue();
        assertThat(NodePressure.pidPressure(manyProcesses)).isTrue();
        assertThat(NodePressure.conditions(lowMemory, NOW, (t, s, n) -> "2026-11-22T11:00:00Z").get(0))
                .satisfies(c -> {
                    assertThat(c.getReason()).isEqualTo("KubeletHasInsufficientMemory");
                    assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T11:00:00Z");
                });
    }

    @Test
    void allocatableKeepsTheEvictionThresholdsBack() {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity("2"));
        capacity.put("memory", new Quantity("2097152Ki"));
        capacity.put("pods", new Quantity("110"));
        capacity.put("ephemeral-storage", new Quantity("1000000Ki"));
        Map<String, Quantity> allocatable = NodeStatusReporter.allocatable(capacity);
        assertThat(allocatable.get("memory")).isEqualTo(new Quantity((2097152 - 102400) + "Ki"));
        assertThat(allocatable.get("ephemeral-storage")).isEqualTo(new Quantity("900000Ki"));
        assertThat(allocatable.get("cpu")).isEqualTo(new Quantity("2"));
    }
}
