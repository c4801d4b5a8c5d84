package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * HorizontalPodAutoscaler cells as upstream's printer writes them: REFERENCE {@code Deployment/web},
 * TARGETS {@code cpu: 40%/50%} per metric (current from status, {@code <unknown>} until measured; at
 * most two, then {@code + N more...}), MINPODS {@code <unset>} when not given.
 */
final class AutoscalerColumns {

    private static final int SHOWN_METRICS = 2;

    private AutoscalerColumns() {
    }

    static String reference(ObjectNode hpa) {
        JsonNode ref = hpa.path("spec").path("scaleTargetRef");
        return ref.path("kind").asText("") + "/" + ref.path("name").asText("");
    }

    static String minPods(ObjectNode hpa) {
        JsonNode min = hpa.path("spec").path("minReplicas");
        return min.isIntegralNumber() ? min.asText() : "<unset>";
    }

    static String targets(ObjectNode hpa) {
        JsonNode spec = hpa.path("spec");
        JsonNode status = hpa.path("status");
        if (spec.has("targetCPUUtilizationPercentage")) {
            // autoscaling/v1
            JsonNode current = status.path("currentCPUUtilizationPercentage");
            return "cpu: " + (current.isIntegralNumber() ? current.asInt() + "%" : "<unknown>") + "/"
                    + spec.path("targetCPUUtilizationPercentage").asInt() + "%";
        }
        JsonNode metrics = spec.path("metrics");
        if (metrics.isEmpty()) {
            return "<none>";
        }
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < metrics.size() && shown.size() < SHOWN_METRICS; i++) {
            shown.add(metric(metrics.get(i), status.path("currentMetrics").path(i)));
        }
        String text = String.join(", ", shown);
        return metrics.size() > shown.size() ? text + " + " + (metrics.size() - shown.size()) + " more..." : text;
    }

    private static String metric(JsonNode spec, JsonNode status) {
        String type = spec.path("type").asText("");
        String field = switch (type) {
            case "Resource" -> "resource";
            case "ContainerResource" -> "containerResource";
            case "Pods" -> "pods";
            case "Object" -> "object";
            case "External" -> "external";
            default -> "";
        };
        JsonNode source = spec.path(field);
        JsonNode target = source.path("target");
        JsonNode current = status.path(field).path("current");
        String prefix = switch (type) {
            case "Resource", "ContainerResource" -> source.path("name").asText("") + ": ";
            default -> source.path("metric").path("name").asText("") + ": ";
        };
        if (target.has("averageUtilization") && !target.has("averageValue") && !target.has("value")) {
            JsonNode value = current.path("averageUtilization");
            return prefix + (value.isIntegralNumber() ? value.asInt() + "%" : "<unknown>") + "/"
                    + target.path("averageUtilization").asInt() + "%";
        }
        String key = target.has("averageValue") ? "averageValue" : "value";
        JsonNode value = current.path(key);
        String wanted = target.path(key).asText("<auto>");
        return prefix + (value.isMissingNode() || value.isNull() ? "<unknown>" : value.asText()) + "/" + wanted;
    }
}
