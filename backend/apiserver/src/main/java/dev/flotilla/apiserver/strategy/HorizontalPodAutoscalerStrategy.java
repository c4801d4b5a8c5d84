package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.FieldError;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * HorizontalPodAutoscaler validation, upstream's rules for what the controller relies on, at v1 and
 * v2 alike: a scale target kind and name, {@code minReplicas} ≥ 1, {@code maxReplicas} ≥ 1 and not
 * below minReplicas, a positive cpu percentage (v1), and for v2 Resource metrics a resource name and a
 * target of a known type with its value.
 */
@Singleton
public class HorizontalPodAutoscalerStrategy implements KindStrategy {

    private static final List<String> METRIC_TYPES = List.of("ContainerResource", "External", "Object", "Pods",
            "Resource");
    private static final List<String> TARGET_TYPES = List.of("AverageValue", "Utilization", "Value");

    @Override
    public Set<String> kinds() {
        return Set.of("autoscaling/HorizontalPodAutoscaler");
    }

    @Override
    public List<FieldError> validate(ObjectNode hpa) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = hpa.path("spec");
        JsonNode ref = spec.path("scaleTargetRef");
        if (Fields.isBlank(ref.path("kind"))) {
            errors.add(FieldError.required("spec.scaleTargetRef.kind", ""));
        }
        if (Fields.isBlank(ref.path("name"))) {
            errors.add(FieldError.required("spec.scaleTargetRef.name", ""));
        }
        JsonNode min = spec.path("minReplicas");
        if (min.isNumber() && min.asLong() < 1) {
            errors.add(FieldError.invalid("spec.minReplicas", min.asLong(), "must be greater than or equal to 1"));
        }
        long max = spec.path("maxReplicas").asLong(0);
        if (max < 1) {
            errors.add(FieldError.invalid("spec.maxReplicas", max, "must be greater than 0"));
        }
        if (min.isNumber() && max < min.asLong()) {
            errors.add(FieldError.invalid("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`"));
        }
        JsonNode cpu = spec.path("targetCPUUtilizationPercentage");
        if (cpu.isNumber() && cpu.asLong() < 1) {
            errors.add(FieldError.invalid("spec.targetCPUUtilizationPercentage", cpu.asLong(),
                    "must be greater than 0"));
        }
        JsonNode metrics = spec.path("metrics");
        for (int i = 0; i < metrics.size(); i++) {
            validateMetric(metrics.get(i), "spec.metrics[" + i + "]", errors);
        }
        return errors;
    }

    private static void validateMetric(JsonNode metric, String path, List<FieldError> errors) {
        String type = metric.path("type").asText("");
        if (type.isEmpty()) {
            errors.add(FieldError.required(path + ".type", "must specify a metric source type"));
            return;
        }
        if (!METRIC_TYPES.contains(type)) {
            errors.add(FieldError.notSupported(path + ".type", type, METRIC_TYPES));
            return;
        }
        if (!type.equals("Resource")) {
            return;
        }
        JsonNode resource = metric.path("resource");
        if (Fields.isBlank(resource.path("name"))) {
            errors.add(FieldError.required(path + ".resource.name", "must specify a resource name"));
        }
        JsonNode target = resource.path("target");
        String targetType = target.path("type").asText("");
        if (targetType.isEmpty()) {
            errors.add(FieldError.required(path + ".resource.target.type", "must specify a metric target type"));
        } else if (!TARGET_TYPES.contains(targetType)) {
            errors.add(FieldError.notSupported(path + ".resource.target.type", targetType, TARGET_TYPES));
        } else if (targetType.equals("Utilization")) {
            JsonNode utilization = target.path("averageUtilization");
            if (!utilization.isNumber()) {
                errors.add(FieldError.required(path + ".resource.target.averageUtilization",
                        "must set averageUtilization when metric target type is Utilization"));
            } else if (utilization.asLong() < 1) {
                errors.add(FieldError.invalid(path + ".resource.target.averageUtilization", utilization.asLong(),
                        "must be greater than 0"));
            }
        } else if (targetType.equals("AverageValue") && Fields.isBlank(target.path("averageValue"))) {
            errors.add(FieldError.required(path + ".resource.target.averageValue",
                    "must set averageValue when metric target type is AverageValue"));
        }
    }
}
