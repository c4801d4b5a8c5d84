package dev.flotilla.api.scheduling;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Map;

/**
 * Whether a node satisfies a pod's {@code nodeSelector} and required node affinity, as upstream's
 * GetRequiredNodeAffinity; the scheduler's NodeAffinity filter and the DaemonSet controller share it.
 */
public final class RequiredNodeAffinity {

    private RequiredNodeAffinity() {
    }

    /** True when the pod has neither a nodeSelector entry nor required node affinity, so every node matches. */
    public static boolean selectsEveryNode(PodSpec pod) {
        Affinity affinity = pod.getAffinity();
        return (pod.getNodeSelector() == null || pod.getNodeSelector().isEmpty())
                && (affinity == null || affinity.getNodeAffinity() == null
                        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null);
    }

    public static boolean matches(PodSpec pod, Node node) {
        Map<String, String> selector = pod.getNodeSelector();
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        if (selector != null) {
            for (Map.Entry<String, String> entry : selector.entrySet()) {
                if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                    return false;
                }
            }
        }
        Affinity affinity = pod.getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return true;
        }
        return NodeSelectorTerms.anyMatches(affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms(), node);
    }
}
