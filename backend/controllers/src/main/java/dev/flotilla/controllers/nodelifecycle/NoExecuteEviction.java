package dev.flotilla.controllers.nodelifecycle;

import dev.flotilla.api.scheduling.Tolerations;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Instant;
import java.util.List;

/**
 * Upstream's taint manager rule for one pod on a node with NoExecute taints: evicted at once when
 * any is not tolerated; otherwise when the shortest {@code tolerationSeconds} of the tolerations
 * that match has passed since that taint was added; never when every match has no limit.
 */
final class NoExecuteEviction {

    private NoExecuteEviction() {
    }

    /** When the pod is to be evicted, or null for never. */
    static Instant deadline(Pod pod, Node node) {
        List<Toleration> tolerations = pod.getSpec().getTolerations();
        Instant deadline = null;
        for (Taint taint : node.getSpec() == null ? List.<Taint>of() : node.getSpec().getTaints()) {
            if (!"NoExecute".equals(taint.getEffect())) {
                continue;
            }
            Instant added = taint.getTimeAdded() == null ? Instant.EPOCH : Instant.parse(taint.getTimeAdded());
            Long shortest = null;
            boolean tolerated = false;
            for (Toleration toleration : tolerations) {
                if (!Tolerations.tolerates(toleration, taint)) {
                    continue;
                }
                tolerated = true;
                if (toleration.getTolerationSeconds() == null) {
                    continue;
                }
                long seconds = Math.max(0, toleration.getTolerationSeconds());
                shortest = shortest == null ? seconds : Math.min(shortest, seconds);
            }
            if (!tolerated) {
                return Instant.EPOCH;
            }
            if (shortest != null) {
                Instant due = added.plusSeconds(shortest);
                deadline = deadline == null || due.isBefore(deadline) ? due : deadline;
            }
        }
        return deadline;
    }
}
