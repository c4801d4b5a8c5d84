package dev.flotilla.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;

/** Upstream's deployment arithmetic: surge and unavailability fenceposts and the new set's next size. */
public final class RolloutMath {

    private RolloutMath() {
    }

    /** maxSurge and maxUnavailable in pods: percentages of replicas, surge rounded up, unavailable down; never both 0. */
    public record Fenceposts(int surge, int unavailable) {
    }

    public static Fenceposts fenceposts(Deployment d) {
        var rolling = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
        if (!isRolling(d) || rolling == null) {
            return new Fenceposts(0, 0);
        }
        int replicas = replicas(d);
        int surge = scaled(rolling.getMaxSurge(), replicas, true);
        int unavailable = scaled(rolling.getMaxUnavailable(), replicas, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new Fenceposts(surge, unavailable);
    }

    public static int scaled(IntOrString value, int total, boolean roundUp) {
        if (value == null) {
            return 0;
        }
        if (value.getStrVal() != null) {
            String s = value.getStrVal();
            if (!s.endsWith("%")) {
                return Integer.parseInt(s);
            }
            double exact = Integer.parseInt(s.substring(0, s.length() - 1)) * (double) total / 100;
            return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
        }
        return value.getIntVal() == null ? 0 : value.getIntVal();
    }

    public static boolean isRolling(Deployment d) {
        return d.getSpec().getStrategy() == null || !"Recreate".equals(d.getSpec().getStrategy().getType());
    }

    public static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    /** Upstream's MaxUnavailable: 0 for Recreate or no replicas, at most replicas. */
    public static int maxUnavailable(Deployment d) {
        if (!isRolling(d) || replicas(d) == 0) {
            return 0;
        }
        return Math.min(fenceposts(d).unavailable(), replicas(d));
    }

    /** The size the new ReplicaSet should grow to now (upstream's NewRSNewReplicas). */
    public static int newReplicaSetReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRs) {
        int current = newRs == null ? 0 : specReplicas(newRs);
        if (!isRolling(d)) {
            return replicas(d);
        }
        if (current == replicas(d)) {
            return current;
        }
        int maxTotal = replicas(d) + fenceposts(d).surge();
        int total = all.stream().mapToInt(RolloutMath::specReplicas).sum();
        if (total >= maxTotal) {
            return current;
        }
        int scaleUp = Math.min(maxTotal - total, replicas(d) - current);
        return current + scaleUp;
    }

    public static int specReplicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    }

    public static int statusReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas();
    }

    public static int availableReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0
                : rs.getStatus().getAvailableReplicas();
    }

    public static int readyReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas();
    }
}
