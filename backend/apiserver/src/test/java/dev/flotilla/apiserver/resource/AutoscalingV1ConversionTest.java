package dev.flotilla.apiserver.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.crd.StoredVersions;
import org.junit.jupiter.api.Test;

class AutoscalingV1ConversionTest {

    private static final ResourceRegistry REGISTRY = new ResourceRegistry();
    private static final ResourceType V1 = REGISTRY.find("autoscaling", "v1", "horizontalpodautoscalers").orElseThrow();
    private static final ResourceType V2 = REGISTRY.find("autoscaling", "v2", "horizontalpodautoscalers").orElseThrow();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text);
    }

    @Test
    void aV1ObjectIsStoredAsV2AndServedBackAsV1() throws Exception {
        ObjectNode v1 = json("""
                {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"web"},
                 "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                         "minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":50}}""");
        ObjectNode stored = StoredVersions.forStorage(V1, v1);
        assertThat(stored.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(stored.at("/spec/targetCPUUtilizationPercentage").isMissingNode()).isTrue();
        assertThat(stored.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(50);
        assertThat(stored.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");

        stored.putObject("status").put("currentReplicas", 3).putArray("currentMetrics").addObject()
                .put("type", "Resource").putObject("resource").put("name", "cpu").putObject("current")
                .put("averageUtilization", 40).put("averageValue", "8m");
        ObjectNode served = StoredVersions.served(V1, stored.deepCopy());
        assertThat(served.at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(50);
        assertThat(served.at("/spec/metrics").isMissingNode()).isTrue();
        assertThat(served.at("/status/currentCPUUtilizationPercentage").asInt()).isEqualTo(40);
        assertThat(served.at("/status/currentReplicas").asInt()).isEqualTo(3);
        assertThat(StoredVersions.served(V2, stored.deepCopy())).isEqualTo(stored);
    }

    @Test
    void tableShowsTheTargetsColumnAtBothVersions() throws Exception {
        ObjectNode v2 = json("""
                {"metadata":{"name":"web"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":5,
                 "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}},
                  {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi"}}},
                  {"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"1"}}}]},
                 "status":{"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":40}}}]}}""");
        assertThat(AutoscalerColumns.targets(v2)).isEqualTo("cpu: 40%/50%, memory: <unknown>/100Mi + 1 more...");
        assertThat(AutoscalerColumns.reference(v2)).isEqualTo("Deployment/web");
        assertThat(AutoscalerColumns.minPods(v2)).isEqualTo("<unset>");
        ObjectNode v1 = StoredVersions.served(V1, v2.deepCopy());
        assertThat(AutoscalerColumns.targets(v1)).isEqualTo("cpu: 40%/50%");
    }
}
