package dev.flotilla.controllers.volume;

import dev.flotilla.api.storage.VolumeAnnotations;
import dev.flotilla.api.storage.VolumeMatching;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in {@code flotilla.dev/local-path} provisioner's volume for a claim: a hostPath
 * directory {@code <base dir>/pvc-<claim uid>} on the node the scheduler chose for the claim's first
 * pod (type DirectoryOrCreate, so the kubelet creates it when the first pod starts), node affinity to
 * that node, pre-bound to the claim, and a finalizer the node removes once the directory is gone.
 * The base dir is the one the node advertises in its {@code local-path.flotilla.dev/base-dir}
 * annotation, else {@link #DEFAULT_BASE_DIR}.
 */
final class LocalPathProvisioner {

    /** Where a node agent on the default state directory keeps local-path volumes. */
    static final Path DEFAULT_BASE_DIR = Path.of("/var/lib/flotilla-node/local-path");
    static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
    private static final Set<String> ACCESS_MODES = Set.of("ReadWriteOnce", "ReadWriteOncePod");

    /** A volume to create, or why the claim cannot have one (upstream's ProvisioningFailed message). */
    record Outcome(PersistentVolume volume, String failure) {
    }

    private LocalPathProvisioner() {
    }

    static String volumeName(PersistentVolumeClaim claim) {
        return "pvc-" + claim.getMetadata().getUid();
    }

    static Outcome provision(PersistentVolumeClaim claim, StorageClass storageClass, String nodeName, Node node) {
        if (nodeName == null || nodeName.isEmpty()) {
            return new Outcome(null, "configuration error, no node was specified: " + VolumeAnnotations.LOCAL_PATH_PROVISIONER
                    + " provisions only for claims of a WaitForFirstConsumer class once a pod is scheduled");
        }
        if (node == null) {
            return new Outcome(null, "nodes \"" + nodeName + "\" not found");
        }
        String mode = claim.getSpec().getVolumeMode();
        if (mode != null && !mode.equals("Filesystem")) {
            return new Outcome(null, "volumeMode " + mode + " is not supported: " + VolumeAnnotations.LOCAL_PATH_PROVISIONER
                    + " provisions Filesystem volumes only");
        }
        List<String> modes = claim.getSpec().getAccessModes();
        for (String accessMode : modes) {
            if (!ACCESS_MODES.contains(accessMode)) {
                return new Outcome(null, "access mode " + accessMode + " is not supported: "
                        + VolumeAnnotations.LOCAL_PATH_PROVISIONER + " supports ReadWriteOnce and ReadWriteOncePod only");
            }
        }
        if (VolumeMatching.requestedBytes(claim).signum() <= 0) {
            return new Outcome(null, "claim has no storage request");
        }
        String name = volumeName(claim);
        Map<String, String> nodeAnnotations = node.getMetadata().getAnnotations();
        String baseDir = nodeAnnotations == null ? null : nodeAnnotations.get(VolumeAnnotations.LOCAL_PATH_DIR);
        Path path = (baseDir == null || baseDir.isEmpty() ? DEFAULT_BASE_DIR : Path.of(baseDir)).resolve(name);
        String hostname = node.getMetadata().getLabels() == null ? null : node.getMetadata().getLabels().get(HOSTNAME_LABEL);
        Quantity size = claim.getSpec().getResources().getRequests().get("storage");
        String reclaimPolicy = storageClass.getReclaimPolicy() == null ? "Delete" : storageClass.getReclaimPolicy();
        PersistentVolume volume = new PersistentVolumeBuilder()
                .withNewMetadata().withName(name)
                .addToAnnotations(VolumeAnnotations.PROVISIONED_BY, VolumeAnnotations.LOCAL_PATH_PROVISIONER)
                .addToAnnotations(VolumeAnnotations.BOUND_BY_CONTROLLER, VolumeAnnotations.YES)
                .addToAnnotations(VolumeAnnotations.LOCAL_PATH_NODE, nodeName)
                .addToFinalizers(VolumeAnnotations.LOCAL_PATH_CLEANUP_FINALIZER)
                .endMetadata()
                .withNewSpec()
                .addToCapacity("storage", size)
                .withAccessModes(modes)
                .withPersistentVolumeReclaimPolicy(reclaimPolicy)
                .withStorageClassName(storageClass.getMetadata().getName())
                .withVolumeMode("Filesystem")
                .withMountOptions(storageClass.getMountOptions())
                .withNewHostPath().withPath(path.toString()).withType("DirectoryOrCreate").endHostPath()
                .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey(HOSTNAME_LABEL).withOperator("In")
                .withValues(hostname == null ? nodeName : hostname).endMatchExpression()
                .endNodeSelectorTerm().endRequired().endNodeAffinity()
                .withClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim").withApiVersion("v1")
                        .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                        .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion())
                        .build())
                .endSpec().build();
        return new Outcome(volume, null);
    }
}
