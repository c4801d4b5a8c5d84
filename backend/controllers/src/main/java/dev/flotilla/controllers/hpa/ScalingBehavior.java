package dev.flotilla.controllers.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * autoscaling/v2 {@code behavior}, as upstream's normalizeDesiredReplicasWithBehaviors: first the
 * stabilization windows (scale up to the lowest, scale down to the highest recommendation within
 * each window), then the rate policies over their periods and selectPolicy, then min/maxReplicas,
 * with the ScalingLimited reason and message that explain a limit.
 */
final class ScalingBehavior {

    record Policy(String type, int value, int periodSeconds) {
    }

    record Rules(int stabilizationWindowSeconds, String selectPolicy, List<Policy> policies) {
    }

    /** A past recommendation or a past change of the scale (positive up, negative down). */
    record Timed(Instant time, int replicas) {
    }

    record Result(int replicas, int stabilized, String reason, String message) {
    }

    /** Upstream's defaults: up at once by 100 % or 4 pods per 15 s; down by 100 % per 15 s after 300 s. */
    static final Rules DEFAULT_UP = new Rules(0, "Max", List.of(new Policy("Pods", 4, 15), new Policy("Percent", 100, 15)));
    static final Rules DEFAULT_DOWN = new Rules(300, "Max", List.of(new Policy("Percent", 100, 15)));

    private ScalingBehavior() {
    }

    static Result normalize(int current, int desired, int min, int max, Rules up, Rules down,
                            List<Timed> recommendations, List<Timed> scaleUps, List<Timed> scaleDowns, Instant now) {
        int upRecommendation = desired;
        int downRecommendation = desired;
        for (Timed r : recommendations) {
            if (r.time().isAfter(now.minusSeconds(up.stabilizationWindowSeconds()))) {
                upRecommendation = Math.min(upRecommendation, r.replicas());
            }
            if (r.time().isAfter(now.minusSeconds(down.stabilizationWindowSeconds()))) {
                downRecommendation = Math.max(downRecommendation, r.replicas());
            }
        }
        int stabilized = current;
        if (stabilized < upRecommendation) {
            stabilized = upRecommendation;
        }
        if (stabilized > downRecommendation) {
            stabilized = downRecommendation;
        }
        if (stabilized > current) {
            int limit = Math.max(current, scaleUpLimit(current, scaleUps, up, now));
            boolean rateBound = limit < max;
            int allowed = Math.min(limit, max);
            if (stabilized > allowed) {
                return new Result(allowed, stabilized, rateBound ? "ScaleUpLimit" : "TooManyReplicas", rateBound
                        ? "the desired replica count is increasing faster than the maximum scale rate"
                        : "the desired replica count is more than the maximum replica count");
            }
        } else if (stabilized < current) {
            int limit = Math.min(current, scaleDownLimit(current, scaleDowns, down, now));
            boolean rateBound = limit > min;
            int allowed = Math.max(limit, min);
            if (stabilized < allowed) {
                return new Result(allowed, stabilized, rateBound ? "ScaleDownLimit" : "TooFewReplicas", rateBound
                        ? "the desired replica count is decreasing faster than the maximum scale rate"
                        : "the desired replica count is less than the minimum replica count");
            }
        }
        return new Result(stabilized, stabilized, "DesiredWithinRange", "the desired count is within the acceptable range");
    }

    static int scaleUpLimit(int current, List<Timed> events, Rules rules, Instant now) {
        if (rules.selectPolicy().equals("Disabled")) {
            return current;
        }
        boolean max = !rules.selectPolicy().equals("Min");
        int result = max ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (Policy policy : rules.policies()) {
            int start = current - changedWithin(events, policy.periodSeconds(), now);
            int proposed = policy.type().equals("Pods") ? start + policy.value()
                    : (int) Math.ceil(start * (1 + policy.value() / 100d));
            result = max ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return result;
    }

    static int scaleDownLimit(int current, List<Timed> events, Rules rules, Instant now) {
        if (rules.selectPolicy().equals("Disabled")) {
            return current;
        }
        boolean max = !rules.selectPolicy().equals("Min");
        int result = max ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (Policy policy : rules.policies()) {
            int start = current + changedWithin(events, policy.periodSeconds(), now);
            int proposed = policy.type().equals("Pods") ? start - policy.value()
                    : (int) (start * (1 - policy.value() / 100d));
            // the policy allowing the most change is the lowest count when scaling down
            result = max ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    private static int changedWithin(List<Timed> events, int periodSeconds, Instant now) {
        Instant from = now.minus(Duration.ofSeconds(periodSeconds));
        return events.stream().filter(e -> e.time().isAfter(from)).mapToInt(e -> Math.abs(e.replicas())).sum();
    }
}
