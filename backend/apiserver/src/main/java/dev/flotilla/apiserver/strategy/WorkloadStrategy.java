package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.api.selector.SelectorParseException;
import dev.flotilla.api.status.FieldError;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deployments, ReplicaSets, StatefulSets and DaemonSets: upstream's defaults (one replica, history
 * limit 10, RollingUpdate 25%/25% for Deployments, progress deadline 600 s), a required selector
 * that must match the pod template's labels and may not change, and pod template defaults.
 */
@Singleton
public class WorkloadStrategy implements KindStrategy {

    @Override
    public Set<String> kinds() {
        return Set.of("apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet", "apps/DaemonSet");
    }

    @Override
    public void prepareForCreate(ObjectNode workload) {
        String kind = workload.path("kind").asText();
        ObjectNode spec = workload.with("spec");
        if (!kind.equals("DaemonSet")) {
            Fields.defaultInt(spec, "replicas", 1);
        }
        Fields.defaultInt(spec, "revisionHistoryLimit", 10);
        switch (kind) {
            case "Deployment" -> {
                ObjectNode strategy = spec.with("strategy");
                Fields.defaultText(strategy, "type", "RollingUpdate");
                if (strategy.path("type").asText().equals("RollingUpdate")) {
                    ObjectNode rolling = strategy.with("rollingUpdate");
                    if (!rolling.has("maxUnavailable")) {
                        rolling.put("maxUnavailable", "25%");
                    }
                    if (!rolling.has("maxSurge")) {
                        rolling.put("maxSurge", "25%");
                    }
                }
                Fields.defaultInt(spec, "progressDeadlineSeconds", 600);
            }
            case "StatefulSet" -> {
                Fields.defaultText(spec, "podManagementPolicy", "OrderedReady");
                ObjectNode strategy = spec.with("updateStrategy");
                Fields.defaultText(strategy, "type", "RollingUpdate");
                if (strategy.path("type").asText().equals("RollingUpdate")) {
                    Fields.defaultInt(strategy.with("rollingUpdate"), "partition", 0);
                }
                ObjectNode retention = spec.with("persistentVolumeClaimRetentionPolicy");
                Fields.defaultText(retention, "whenDeleted", "Retain");
                Fields.defaultText(retention, "whenScaled", "Retain");
            }
            case "DaemonSet" -> {
                ObjectNode strategy = spec.with("updateStrategy");
                Fields.defaultText(strategy, "type", "RollingUpdate");
                if (strategy.path("type").asText().equals("RollingUpdate")) {
                    ObjectNode rolling = strategy.with("rollingUpdate");
                    if (!rolling.has("maxUnavailable")) {
                        rolling.put("maxUnavailable", 1);
                    }
                    if (!rolling.has("maxSurge")) {
                        rolling.put("maxSurge", 0);
                    }
                }
            }
            default -> { }
        }
        JsonNode podSpec = spec.path("template").path("spec");
        if (podSpec instanceof ObjectNode pod) {
            PodDefaults.apply(pod);
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        prepareForCreate(updated);
    }

    @Override
    public List<FieldError> validate(ObjectNode workload) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = workload.path("spec");
        JsonNode selector = spec.path("selector");
        if (selector.isMissingNode() || selector.isNull() || selector.isEmpty()) {
            errors.add(FieldError.required("spec.selector", ""));
        } else {
            try {
                LabelSelector parsed = LabelSelector.fromMetaV1(Json.mapper().convertValue(selector,
                        io.fabric8.kubernetes.api.model.LabelSelector.class));
                Map<String, String> labels = stringMap(spec.path("template").path("metadata").path("labels"));
                if (parsed.isEmpty()) {
                    errors.add(FieldError.invalid("spec.selector", selector.toString(),
                            "empty selector is invalid for deployment"));
                } else if (!parsed.matches(labels)) {
                    errors.add(FieldError.invalid("spec.template.metadata.labels", new FieldError.GoValue(goMap(labels)),
                            "`selector` does not match template `labels`"));
                }
            } catch (SelectorParseException | IllegalArgumentException e) {
                errors.add(FieldError.invalid("spec.selector", selector.toString(), e.getMessage()));
            }
        }
        if (spec.has("replicas") && spec.path("replicas").asLong() < 0) {
            errors.add(FieldError.invalid("spec.replicas", spec.path("replicas").asLong(),
                    "must be greater than or equal to 0"));
        }
        errors.addAll(PodDefaults.validateSpec(spec.path("template").path("spec"), "spec.template.spec"));
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(updated));
        JsonNode oldSelector = old.path("spec").path("selector");
        JsonNode newSelector = updated.path("spec").path("selector");
        if (!oldSelector.isMissingNode() && !Fields.semanticallyEqual(oldSelector, newSelector)) {
            errors.add(FieldError.invalid("spec.selector", newSelector.toString(), "field is immutable"));
        }
        return errors;
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static String goMap(Map<String, String> labels) {
        List<String> pairs = new ArrayList<>();
        new java.util.TreeMap<>(labels).forEach((k, v) -> pairs.add("\"" + k + "\":\"" + v + "\""));
        return "map[string]string{" + String.join(", ", pairs) + "}";
    }
}
