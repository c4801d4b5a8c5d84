package dev.flotilla.controllers.daemonset;

import dev.flotilla.controllers.history.ControllerHistory;
import dev.flotilla.controllers.ownership.ControllerRefs;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DaemonSet's pod for one node, as upstream builds it: the template with the
 * controller-revision-hash and pod-template-generation labels, the automatic tolerations every
 * daemon pod gets, and a required node affinity on {@code metadata.name} that the scheduler honours
 * (the controller never sets nodeName itself).
 */
final class DaemonPods {

    static final String GENERATION_LABEL = "pod-template-generation";

    private DaemonPods() {
    }

    /** The template's spec with the tolerations upstream adds to every daemon pod (AddOrUpdateDaemonPodTolerations). */
    static PodSpec withDaemonTolerations(PodSpec template, KubernetesSerialization serialization) {
        PodSpec spec = serialization.clone(template);
        List<Toleration> tolerations = new ArrayList<>(spec.getTolerations());
        add(tolerations, "node.kubernetes.io/not-ready", "NoExecute");
        add(tolerations, "node.kubernetes.io/unreachable", "NoExecute");
        add(tolerations, "node.kubernetes.io/disk-pressure", "NoSchedule");
        add(tolerations, "node.kubernetes.io/memory-pressure", "NoSchedule");
        add(tolerations, "node.kubernetes.io/pid-pressure", "NoSchedule");
        add(tolerations, "node.kubernetes.io/unschedulable", "NoSchedule");
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            add(tolerations, "node.kubernetes.io/network-unavailable", "NoSchedule");
        }
        spec.setTolerations(tolerations);
        return spec;
    }

    private static void add(List<Toleration> tolerations, String key, String effect) {
        tolerations.removeIf(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
        tolerations.add(new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build());
    }

    static Pod newPod(DaemonSet set, PodTemplateSpec template, String hash, String node, KubernetesSerialization serialization) {
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> labels = new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.put(ControllerHistory.HASH_LABEL, hash);
        if (set.getMetadata().getGeneration() != null) {
            labels.put(GENERATION_LABEL, set.getMetadata().getGeneration().toString());
        }
        PodSpec spec = withDaemonTolerations(template.getSpec(), serialization);
        spec.setAffinity(pinnedTo(spec.getAffinity(), node));
        return new PodBuilder().withNewMetadata().withGenerateName(set.getMetadata().getName() + "-")
                .withNamespace(set.getMetadata().getNamespace()).withLabels(labels)
                .withAnnotations(meta.getAnnotations()).withFinalizers(meta.getFinalizers())
                .withOwnerReferences(ControllerRefs.controllerRef(set, "apps/v1", "DaemonSet")).endMetadata()
                .withSpec(spec).build();
    }

    /** Upstream's ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become one term on the node's name. */
    private static Affinity pinnedTo(Affinity affinity, String node) {
        Affinity result = affinity == null ? new Affinity() : affinity;
        NodeAffinity nodeAffinity = result.getNodeAffinity() == null ? new NodeAffinity() : result.getNodeAffinity();
        NodeSelectorRequirement name = new NodeSelectorRequirementBuilder().withKey("metadata.name").withOperator("In")
                .withValues(node).build();
        NodeSelectorTerm term = new NodeSelectorTerm();
        term.setMatchFields(List.of(name));
        nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector(List.of(term)));
        result.setNodeAffinity(nodeAffinity);
        return result;
    }

    /** The node a daemon pod is for: its nodeName, else the name its required node affinity pins. */
    static String targetNode(Pod pod) {
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return pod.getSpec().getNodeName();
        }
        Affinity affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return null;
        }
        for (NodeSelectorTerm term : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()) {
            for (NodeSelectorRequirement field : term.getMatchFields()) {
                if ("metadata.name".equals(field.getKey()) && "In".equals(field.getOperator())
                        && field.getValues().size() == 1) {
                    return field.getValues().get(0);
                }
            }
        }
        return null;
    }

    static String hash(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(ControllerHistory.HASH_LABEL);
    }
}
