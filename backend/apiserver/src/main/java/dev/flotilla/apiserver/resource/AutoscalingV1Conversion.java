package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceType;

/**
 * HorizontalPodAutoscalers are stored as autoscaling/v2, as upstream stores them; autoscaling/v1
 * requests are converted on the way in and out: {@code targetCPUUtilizationPercentage} is the v2
 * Resource cpu metric with a Utilization target, {@code currentCPUUtilizationPercentage} its current
 * utilization. What v1 cannot express (other metrics, behavior, conditions) is not shown at v1, and an
 * update sent at v1 replaces it (upstream keeps it in annotations; not done here).
 */
public final class AutoscalingV1Conversion {

    private AutoscalingV1Conversion() {
    }

    public static boolean isV1Autoscaler(ResourceType type) {
        return !type.isCustom() && type.group().equals("autoscaling") && type.version().equals("v1")
                && type.kind().equals("HorizontalPodAutoscaler");
    }

    /** A v1 object as v2 (a copy). */
    public static ObjectNode toV2(ObjectNode v1) {
        ObjectNode v2 = v1.deepCopy();
        v2.put("apiVersion", "autoscaling/v2");
        ObjectNode spec = v2.with("spec");
        JsonNode target = spec.remove("targetCPUUtilizationPercentage");
        if (target != null && target.isIntegralNumber()) {
            ObjectNode resource = spec.putArray("metrics").addObject().put("type", "Resource").putObject("resource");
            resource.put("name", "cpu");
            resource.putObject("target").put("type", "Utilization").put("averageUtilization", target.asInt());
        }
        if (v2.get("status") instanceof ObjectNode status) {
            JsonNode current = status.remove("currentCPUUtilizationPercentage");
            if (current != null && current.isIntegralNumber()) {
                ObjectNode resource = status.putArray("currentMetrics").addObject().put("type", "Resource")
                        .putObject("resource");
                resource.put("name", "cpu");
                resource.putObject("current").put("averageUtilization", current.asInt());
            }
        }
        return v2;
    }

    /** A stored v2 object as v1 serves it (in place). */
    public static ObjectNode toV1(ObjectNode v2) {
        v2.put("apiVersion", "autoscaling/v1");
        ObjectNode spec = v2.with("spec");
        JsonNode metrics = spec.remove("metrics");
        spec.remove("behavior");
        for (JsonNode metric : metrics == null ? Json.mapper().createArrayNode() : metrics) {
            JsonNode target = metric.path("resource").path("target");
            if (metric.path("type").asText().equals("Resource") && metric.path("resource").path("name").asText()
                    .equals("cpu") && target.path("averageUtilization").isIntegralNumber()) {
                spec.put("targetCPUUtilizationPercentage", target.path("averageUtilization").asInt());
            }
        }
        if (v2.get("status") instanceof ObjectNode status) {
            JsonNode current = status.remove("currentMetrics");
            status.remove("conditions");
            for (JsonNode metric : current instanceof ArrayNode ? current : Json.mapper().createArrayNode()) {
                JsonNode value = metric.path("resource").path("current").path("averageUtilization");
                if (metric.path("resource").path("name").asText().equals("cpu") && value.isIntegralNumber()) {
                    status.put("currentCPUUtilizationPercentage", value.asInt());
                }
            }
        }
        return v2;
    }
}
