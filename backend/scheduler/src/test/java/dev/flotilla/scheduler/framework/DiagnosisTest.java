package dev.flotilla.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiagnosisTest {

    @Test
    void countsReasonsAcrossNodesSortedAsUpstream() {
        Diagnosis diagnosis = new Diagnosis(3);
        diagnosis.record("a", FilterResult.unschedulable("Insufficient cpu", "Insufficient memory"));
        diagnosis.record("b", FilterResult.unresolvable("node(s) had untolerated taint {node-role: x}"));
        diagnosis.record("c", FilterResult.unresolvable("node(s) had untolerated taint {node-role: x}"));
        diagnosis.setPostFilterMessage("preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
        assertThat(diagnosis.message()).isEqualTo("0/3 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, "
                + "2 node(s) had untolerated taint {node-role: x}. "
                + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    }

    @Test
    void noNodesAtAll() {
        assertThat(new Diagnosis(0).message()).isEqualTo("no nodes available to schedule pods");
    }
}
