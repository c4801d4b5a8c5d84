package dev.flotilla.node.downward;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodFieldValuesTest {

    private final Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("team").withUid("u-1")
            .withLabels(labels()).withAnnotations(Map.of()).endMetadata().withNewSpec().endSpec().build();

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("tier", "front");
        labels.put("app", "say \"hi\"\\now\nnext");
        return labels;
    }

    @Test
    void allLabelsAreSortedKeyQuotedValueLinesAsUpstreamWritesThem() {
        assertThat(PodFieldValues.value(pod, "metadata.labels", "n", "10.0.0.1", null))
                .isEqualTo("app=\"say \\\"hi\\\"\\\\now\\nnext\"\ntier=\"front\"");
        assertThat(PodFieldValues.value(pod, "metadata.annotations", "n", "10.0.0.1", null)).isEmpty();
    }

    @Test
    void singleFieldsAndUnknownPaths() {
        assertThat(PodFieldValues.value(pod, "metadata.labels['tier']", "n", "h", "p")).isEqualTo("front");
        assertThat(PodFieldValues.value(pod, "metadata.labels['absent']", "n", "h", "p")).isEmpty();
        assertThat(PodFieldValues.value(pod, "spec.nodeName", "node-1", "h", "p")).isEqualTo("node-1");
        assertThat(PodFieldValues.value(pod, "status.podIP", "n", "h", "10.1.0.7")).isEqualTo("10.1.0.7");
        assertThat(PodFieldValues.value(pod, "spec.containers", "n", "h", "p")).isNull();
    }
}
