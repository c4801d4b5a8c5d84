package dev.flotilla.controllers.statefulset;

import dev.flotilla.controllers.history.ControllerHistory;
import dev.flotilla.controllers.ownership.ControllerRefs;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stable identity of a StatefulSet's pods: the name {@code <set>-<ordinal>}, hostname and
 * subdomain (the governing service), the pod-name, pod-index and controller-revision-hash labels,
 * and one claim {@code <template>-<set>-<ordinal>} per volumeClaimTemplate mounted in place of the
 * template's volume of that name.
 */
final class StatefulPods {

    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

    private StatefulPods() {
    }

    static String podName(StatefulSet set, int ordinal) {
        return set.getMetadata().getName() + "-" + ordinal;
    }

    /** The ordinal of a pod named {@code <set>-<n>}, or -1 if the pod is not the set's member by name. */
    static int ordinal(StatefulSet set, Pod pod) {
        String prefix = set.getMetadata().getName() + "-";
        String name = pod.getMetadata().getName();
        if (!name.startsWith(prefix)) {
            return -1;
        }
        String digits = name.substring(prefix.length());
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)
                || digits.length() > 1 && digits.charAt(0) == '0') {
            return -1;
        }
        return Integer.parseInt(digits);
    }

    static String claimName(PersistentVolumeClaim template, StatefulSet set, int ordinal) {
        return template.getMetadata().getName() + "-" + podName(set, ordinal);
    }

    static String revision(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(ControllerHistory.HASH_LABEL);
    }

    static Pod newPod(StatefulSet set, PodTemplateSpec template, String revisionName, int ordinal,
            KubernetesSerialization serialization) {
        String name = podName(set, ordinal);
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> labels = new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
        labels.put(ControllerHistory.HASH_LABEL, revisionName);
        PodSpec spec = serialization.clone(template.getSpec());
        spec.setHostname(name);
        spec.setSubdomain(set.getSpec().getServiceName() == null || set.getSpec().getServiceName().isEmpty()
                ? null : set.getSpec().getServiceName());
        spec.setVolumes(volumes(set, spec.getVolumes(), ordinal));
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(set.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(meta.getAnnotations()).withFinalizers(meta.getFinalizers())
                .withOwnerReferences(ControllerRefs.controllerRef(set, "apps/v1", "StatefulSet")).endMetadata()
                .withSpec(spec).build();
    }

    private static List<Volume> volumes(StatefulSet set, List<Volume> templateVolumes, int ordinal) {
        List<PersistentVolumeClaim> claims = set.getSpec().getVolumeClaimTemplates();
        List<Volume> volumes = new ArrayList<>();
        for (Volume volume : templateVolumes) {
            if (claims.stream().noneMatch(c -> c.getMetadata().getName().equals(volume.getName()))) {
                volumes.add(volume);
            }
        }
        for (PersistentVolumeClaim claim : claims) {
            volumes.add(new VolumeBuilder().withName(claim.getMetadata().getName()).withNewPersistentVolumeClaim()
                    .withClaimName(claimName(claim, set, ordinal)).endPersistentVolumeClaim().build());
        }
        return volumes;
    }

    /** The claim for one ordinal: the template with the set's selector labels added. */
    static PersistentVolumeClaim newClaim(StatefulSet set, PersistentVolumeClaim template, int ordinal,
            KubernetesSerialization serialization) {
        PersistentVolumeClaim claim = new PersistentVolumeClaim();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(claimName(template, set, ordinal));
        meta.setNamespace(set.getMetadata().getNamespace());
        Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels() == null ? Map.of()
                : template.getMetadata().getLabels());
        if (set.getSpec().getSelector() != null && set.getSpec().getSelector().getMatchLabels() != null) {
            labels.putAll(set.getSpec().getSelector().getMatchLabels());
        }
        meta.setLabels(labels);
        meta.setAnnotations(template.getMetadata().getAnnotations());
        claim.setMetadata(meta);
        claim.setSpec(serialization.clone(template.getSpec()));
        return claim;
    }
}
