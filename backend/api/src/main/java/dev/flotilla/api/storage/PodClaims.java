package dev.flotilla.api.storage;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;

/**
 * The PersistentVolumeClaims a pod's volumes stand for, as upstream's {@code ephemeral.VolumeClaimName}:
 * a {@code persistentVolumeClaim} volume names its claim; a generic ephemeral volume ({@code ephemeral})
 * is the claim {@code <pod>-<volume>} that the ephemeral volume controller creates, owned by the pod.
 * Shared by the scheduler's volume plugins, the volume controllers and the node's volume set-up, so that
 * an ephemeral volume is its claim everywhere.
 */
public final class PodClaims {

    private PodClaims() {
    }

    /** The name of the claim of an ephemeral volume of the pod. */
    public static String ephemeralClaimName(String podName, String volumeName) {
        return podName + "-" + volumeName;
    }

    /** The claim a volume stands for, or null when it is neither a claim nor an ephemeral volume. */
    public static String claimName(Pod pod, Volume volume) {
        if (volume.getPersistentVolumeClaim() != null) {
            String name = volume.getPersistentVolumeClaim().getClaimName();
            return name == null || name.isEmpty() ? null : name;
        }
        if (volume.getEphemeral() != null) {
            return ephemeralClaimName(pod.getMetadata().getName(), volume.getName());
        }
        return null;
    }

    /** The distinct claims of the pod's volumes, in volume order. */
    public static List<String> claimNames(Pod pod) {
        List<String> names = new ArrayList<>();
        if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
            return names;
        }
        for (Volume volume : pod.getSpec().getVolumes()) {
            String name = claimName(pod, volume);
            if (name != null && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Whether the pod's volumes use the claim {@code claimName} of its own namespace. */
    public static boolean uses(Pod pod, String claimName) {
        return claimNames(pod).contains(claimName);
    }

    /** Whether the claim was made for this pod: the pod is its controlling owner (upstream's {@code VolumeIsForPod}). */
    public static boolean isOwnedBy(PersistentVolumeClaim claim, Pod pod) {
        List<OwnerReference> owners = claim.getMetadata().getOwnerReferences();
        if (owners == null) {
            return false;
        }
        return owners.stream().anyMatch(owner -> Boolean.TRUE.equals(owner.getController())
                && pod.getMetadata().getUid() != null && pod.getMetadata().getUid().equals(owner.getUid()));
    }

    /**
     * Upstream's error when the claim of an ephemeral volume was not created for the pod:
     * {@code PVC ns/name was not created for pod ns/pod (pod is not owner)}.
     */
    public static String notOwnerMessage(PersistentVolumeClaim claim, Pod pod) {
        return "PVC " + claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName()
                + " was not created for pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
                + " (pod is not owner)";
    }

    /** Whether the volume is a generic ephemeral one (its claim must be owned by the pod). */
    public static boolean isEphemeral(Volume volume) {
        return volume.getEphemeral() != null;
    }
}
