package dev.flotilla.controllers.hpa;

import dev.flotilla.controllers.hpa.ScalingBehavior.Policy;
import dev.flotilla.controllers.hpa.ScalingBehavior.Rules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.time.Duration;
import java.util.List;

/**
 * An HPA's {@code spec.behavior} with upstream's defaults filled in where it says nothing (what the
 * API server's v2 defaulting adds): scale up at once by 100 % or 4 pods per 15 s, scale down by 100 %
 * per 15 s after a 300 s window, selectPolicy Max.
 */
record BehaviorRules(Rules up, Rules down) {

    static BehaviorRules of(HorizontalPodAutoscaler hpa) {
        HorizontalPodAutoscalerBehavior behavior = hpa.getSpec().getBehavior();
        return new BehaviorRules(rules(behavior == null ? null : behavior.getScaleUp(), ScalingBehavior.DEFAULT_UP),
                rules(behavior == null ? null : behavior.getScaleDown(), ScalingBehavior.DEFAULT_DOWN));
    }

    private static Rules rules(HPAScalingRules given, Rules defaults) {
        if (given == null) {
            return defaults;
        }
        List<Policy> policies = given.getPolicies() == null || given.getPolicies().isEmpty() ? defaults.policies()
                : given.getPolicies().stream().map(p -> new Policy(p.getType(), p.getValue(), p.getPeriodSeconds()))
                        .toList();
        return new Rules(given.getStabilizationWindowSeconds() == null ? defaults.stabilizationWindowSeconds()
                : given.getStabilizationWindowSeconds(),
                given.getSelectPolicy() == null ? defaults.selectPolicy() : given.getSelectPolicy(), policies);
    }

    Duration longestWindow() {
        return Duration.ofSeconds(Math.max(up.stabilizationWindowSeconds(), down.stabilizationWindowSeconds()));
    }

    Duration longestPeriod() {
        int longest = 0;
        for (Policy policy : up.policies()) {
            longest = Math.max(longest, policy.periodSeconds());
        }
        for (Policy policy : down.policies()) {
            longest = Math.max(longest, policy.periodSeconds());
        }
        return Duration.ofSeconds(longest);
    }
}
