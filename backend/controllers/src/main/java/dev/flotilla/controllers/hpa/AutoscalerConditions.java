package dev.flotilla.controllers.hpa;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An HPA's conditions (AbleToScale, ScalingActive, ScalingLimited) as one sync changes them: a
 * condition keeps its lastTransitionTime while its status stays the same, as upstream's setCondition.
 */
final class AutoscalerConditions {

    static final String ABLE_TO_SCALE = "AbleToScale";
    static final String SCALING_ACTIVE = "ScalingActive";
    static final String SCALING_LIMITED = "ScalingLimited";

    private final List<HorizontalPodAutoscalerCondition> conditions;
    private final String now;

    AutoscalerConditions(List<HorizontalPodAutoscalerCondition> existing, Instant now) {
        this.conditions = new ArrayList<>(existing == null ? List.of() : existing);
        this.now = now.toString();
    }

    void set(String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        for (int i = 0; i < conditions.size(); i++) {
            HorizontalPodAutoscalerCondition old = conditions.get(i);
            if (type.equals(old.getType())) {
                String since = value.equals(old.getStatus()) && old.getLastTransitionTime() != null
                        ? old.getLastTransitionTime() : now;
                conditions.set(i, condition(type, value, reason, message, since));
                return;
            }
        }
        conditions.add(condition(type, value, reason, message, now));
    }

    List<HorizontalPodAutoscalerCondition> list() {
        return List.copyOf(conditions);
    }

    private static HorizontalPodAutoscalerCondition condition(String type, String status, String reason,
            String message, String since) {
        return new HorizontalPodAutoscalerConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastTransitionTime(since).build();
    }
}
