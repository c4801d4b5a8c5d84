package dev.flotilla.controllers.deployment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The annotations a Deployment and its ReplicaSets carry, as upstream: the revision, the history
 * of revisions a ReplicaSet had before a rollback reused it, the desired and maximum replicas it
 * was sized for, and the Deployment's own annotations (change-cause …) copied to its ReplicaSets.
 */
public final class Revisions {

    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration",
            REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");

    private Revisions() {
    }

    public static long of(HasMetadata object) {
        String value = annotations(object).get(REVISION);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static long maxOf(List<ReplicaSet> sets) {
        return sets.stream().mapToLong(Revisions::of).max().orElse(0);
    }

    /**
     * Brings a ReplicaSet's annotations up to date for being the Deployment's new set at
     * {@code revision}; true when anything changed. A set that moves to a newer revision records
     * its old one in the revision history.
     */
    static boolean setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, long revision, boolean exists) {
        Map<String, String> annotations = new HashMap<>(annotations(rs));
        boolean changed = false;
        for (Map.Entry<String, String> e : annotations(d).entrySet()) {
            if (!NOT_COPIED.contains(e.getKey()) && !e.getValue().equals(annotations.get(e.getKey()))) {
                annotations.put(e.getKey(), e.getValue());
                changed = true;
            }
        }
        String old = annotations.get(REVISION);
        long oldRevision = of(rs);
        if (oldRevision < revision) {
            annotations.put(REVISION, Long.toString(revision));
            changed = true;
            if (old != null && !old.isEmpty()) {
                String history = annotations.get(REVISION_HISTORY);
                annotations.put(REVISION_HISTORY, history == null || history.isEmpty() ? old : history + "," + old);
            }
        }
        if (!exists) {
            annotations.put(DESIRED_REPLICAS, Integer.toString(RolloutMath.replicas(d)));
            annotations.put(MAX_REPLICAS, Integer.toString(RolloutMath.replicas(d) + RolloutMath.fenceposts(d).surge()));
            changed = true;
        }
        rs.getMetadata().setAnnotations(annotations);
        return changed;
    }

    /** Sets desired/max replicas for the Deployment's current size; true when they changed. */
    static boolean setReplicasAnnotations(Deployment d, ReplicaSet rs) {
        Map<String, String> annotations = new HashMap<>(annotations(rs));
        String desired = Integer.toString(RolloutMath.replicas(d));
        String max = Integer.toString(RolloutMath.replicas(d) + RolloutMath.fenceposts(d).surge());
        if (desired.equals(annotations.get(DESIRED_REPLICAS)) && max.equals(annotations.get(MAX_REPLICAS))) {
            return false;
        }
        annotations.put(DESIRED_REPLICAS, desired);
        annotations.put(MAX_REPLICAS, max);
        rs.getMetadata().setAnnotations(annotations);
        return true;
    }

    static Integer annotatedInt(ReplicaSet rs, String annotation) {
        String value = annotations(rs).get(annotation);
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, String> annotations(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }
}
