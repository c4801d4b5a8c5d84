package dev.flotilla.controllers.daemonset;

import dev.flotilla.api.scheduling.RequiredNodeAffinity;
import dev.flotilla.api.scheduling.Tolerations;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;

/**
 * Upstream's NodeShouldRunDaemonPod: a node should run the daemon pod when the template's nodeName
 * (if any) names it, its nodeSelector and required node affinity match it, and the pod (with the
 * automatic daemon tolerations) tolerates its NoSchedule and NoExecute taints. A pod already there
 * may continue to run despite an untolerated NoSchedule taint, but not a NoExecute one.
 */
record NodeEligibility(boolean shouldRun, boolean shouldContinueRunning) {

    static NodeEligibility of(PodSpec daemonPod, Node node) {
        String nodeName = daemonPod.getNodeName();
        if (nodeName != null && !nodeName.isEmpty() && !nodeName.equals(node.getMetadata().getName())
                || !RequiredNodeAffinity.matches(daemonPod, node)) {
            return new NodeEligibility(false, false);
        }
        boolean fitsTaints = true;
        boolean noExecuteTolerated = true;
        for (Taint taint : node.getSpec() == null ? java.util.List.<Taint>of() : node.getSpec().getTaints()) {
            boolean hard = "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
            if (hard && !Tolerations.tolerates(daemonPod.getTolerations(), taint)) {
                fitsTaints = false;
                if ("NoExecute".equals(taint.getEffect())) {
                    noExecuteTolerated = false;
                }
            }
        }
        return new NodeEligibility(fitsTaints, noExecuteTolerated);
    }
}
