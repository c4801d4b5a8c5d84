package dev.flotilla.api.storage;

import dev.flotilla.api.scheduling.NodeSelectorTerms;
import dev.flotilla.api.selector.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which PersistentVolume a claim may bind to, as upstream's {@code FindMatchingVolume}: a volume
 * pre-bound to the claim wins; otherwise the smallest unclaimed volume of the claim's class whose
 * access modes include the claim's, whose capacity covers the request, whose volumeMode is the
 * claim's, whose labels match the claim's selector and (when a node is given) whose node affinity
 * admits the node. Without a node, delayed-binding claims only take pre-bound volumes: the
 * scheduler picks for them.
 */
public final class VolumeMatching {

    private VolumeMatching() {
    }

    public static Optional<PersistentVolume> bestMatch(PersistentVolumeClaim claim, Collection<PersistentVolume> volumes,
            Node node, boolean delayBinding) {
        BigDecimal requested = requestedBytes(claim);
        LabelSelector selector = claim.getSpec().getSelector() == null ? null
                : LabelSelector.fromMetaV1(claim.getSpec().getSelector());
        String claimClass = claimClass(claim);
        PersistentVolume smallest = null;
        BigDecimal smallestSize = null;
        for (PersistentVolume volume : volumes) {
            if (volume.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            BigDecimal size = capacityBytes(volume);
            if (size.compareTo(requested) < 0 || !sameVolumeMode(claim, volume)) {
                continue;
            }
            boolean affinityFits = node == null || nodeAffinityAdmits(volume, node);
            if (isBoundToClaim(volume, claim)) {
                return affinityFits && accessModesInclude(volume, claim) ? Optional.of(volume) : Optional.empty();
            }
            if (node == null && delayBinding) {
                continue;
            }
            if (volume.getSpec().getClaimRef() != null || !accessModesInclude(volume, claim)
                    || (selector != null && !selector.matches(labels(volume)))
                    || !volumeClass(volume).equals(claimClass) || !affinityFits) {
                continue;
            }
            if (smallest == null || smallestSize.compareTo(size) > 0) {
                smallest = volume;
                smallestSize = size;
            }
        }
        return Optional.ofNullable(smallest);
    }

    /**
     * Why a volume the claim names in {@code spec.volumeName} cannot serve it (upstream's
     * {@code checkVolumeSatisfyClaim}), or empty when it can.
     */
    public static Optional<String> mismatch(PersistentVolume volume, PersistentVolumeClaim claim) {
        if (capacityBytes(volume).compareTo(requestedBytes(claim)) < 0) {
            return Optional.of("requested PV is too small");
        }
        if (!volumeClass(volume).equals(claimClass(claim))) {
            return Optional.of("storageClassName does not match");
        }
        if (!sameVolumeMode(claim, volume)) {
            return Optional.of("incompatible volumeMode");
        }
        if (!accessModesInclude(volume, claim)) {
            return Optional.of("incompatible accessMode");
        }
        return Optional.empty();
    }

    /** The volume's claimRef names this claim (namespace and name, and the uid when the ref has one). */
    public static boolean isBoundToClaim(PersistentVolume volume, PersistentVolumeClaim claim) {
        ObjectReference ref = volume.getSpec().getClaimRef();
        if (ref == null || !claim.getMetadata().getName().equals(ref.getName())
                || !claim.getMetadata().getNamespace().equals(ref.getNamespace())) {
            return false;
        }
        return ref.getUid() == null || ref.getUid().isEmpty() || ref.getUid().equals(claim.getMetadata().getUid());
    }

    /** The claim's class: the beta annotation, else {@code spec.storageClassName}, else "" (no class). */
    public static String claimClass(PersistentVolumeClaim claim) {
        Map<String, String> annotations = claim.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(VolumeAnnotations.BETA_STORAGE_CLASS)) {
            return annotations.get(VolumeAnnotations.BETA_STORAGE_CLASS);
        }
        String name = claim.getSpec().getStorageClassName();
        return name == null ? "" : name;
    }

    public static String volumeClass(PersistentVolume volume) {
        Map<String, String> annotations = volume.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(VolumeAnnotations.BETA_STORAGE_CLASS)) {
            return annotations.get(VolumeAnnotations.BETA_STORAGE_CLASS);
        }
        String name = volume.getSpec().getStorageClassName();
        return name == null ? "" : name;
    }

    /** A class's {@code volumeBindingMode} delays binding until a pod is scheduled (null: Immediate). */
    public static boolean isWaitForFirstConsumer(String volumeBindingMode) {
        return VolumeAnnotations.WAIT_FOR_FIRST_CONSUMER.equals(volumeBindingMode);
    }

    /** The volume's required node affinity admits the node (a volume without one fits every node). */
    public static boolean nodeAffinityAdmits(PersistentVolume volume, Node node) {
        var affinity = volume.getSpec().getNodeAffinity();
        if (affinity == null || affinity.getRequired() == null) {
            return true;
        }
        return NodeSelectorTerms.anyMatches(affinity.getRequired().getNodeSelectorTerms(), node);
    }

    static boolean accessModesInclude(PersistentVolume volume, PersistentVolumeClaim claim) {
        List<String> offered = volume.getSpec().getAccessModes();
        return offered.containsAll(claim.getSpec().getAccessModes());
    }

    private static boolean sameVolumeMode(PersistentVolumeClaim claim, PersistentVolume volume) {
        return modeOf(claim.getSpec().getVolumeMode()).equals(modeOf(volume.getSpec().getVolumeMode()));
    }

    private static String modeOf(String mode) {
        return mode == null || mode.isEmpty() ? "Filesystem" : mode;
    }

    public static BigDecimal requestedBytes(PersistentVolumeClaim claim) {
        var resources = claim.getSpec().getResources();
        Quantity request = resources == null || resources.getRequests() == null ? null
                : resources.getRequests().get("storage");
        return request == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(request);
    }

    private static BigDecimal capacityBytes(PersistentVolume volume) {
        Quantity capacity = volume.getSpec().getCapacity() == null ? null : volume.getSpec().getCapacity().get("storage");
        return capacity == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(capacity);
    }

    private static Map<String, String> labels(PersistentVolume volume) {
        return volume.getMetadata().getLabels() == null ? Map.of() : volume.getMetadata().getLabels();
    }
}
