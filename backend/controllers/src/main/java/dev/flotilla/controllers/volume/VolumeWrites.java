package dev.flotilla.controllers.volume;

import dev.flotilla.api.storage.VolumeAnnotations;
import dev.flotilla.api.storage.VolumeMatching;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

/**
 * The PV controller's writes, each only when it changes something (so a reconcile that finds the
 * state right writes nothing) and each with the cached resourceVersion (a stale cache gets a 409
 * and the key is retried).
 */
final class VolumeWrites {

    private final KubernetesClient client;

    VolumeWrites(KubernetesClient client) {
        this.client = client;
    }

    /** Upstream's bind: the volume's claimRef, then its phase, then the claim's volumeName, then its phase. */
    void bind(PersistentVolume volume, PersistentVolumeClaim claim) {
        PersistentVolume bound = claimVolume(volume, claim);
        volumePhase(bound, "Bound", null);
        PersistentVolumeClaim claimed = claimNamesVolume(claim, bound);
        claimBound(claimed, bound);
    }

    private PersistentVolume claimVolume(PersistentVolume volume, PersistentVolumeClaim claim) {
        var ref = volume.getSpec().getClaimRef();
        boolean exact = ref != null && claim.getMetadata().getUid().equals(ref.getUid())
                && claim.getMetadata().getName().equals(ref.getName())
                && claim.getMetadata().getNamespace().equals(ref.getNamespace());
        if (exact) {
            return volume;
        }
        // Pre-bound by the user (namespace and name without uid) stays the user's binding.
        boolean byController = !VolumeMatching.isBoundToClaim(volume, claim);
        PersistentVolumeBuilder changed = new PersistentVolumeBuilder(volume).editSpec()
                .withClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim").withApiVersion("v1")
                        .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                        .withUid(claim.getMetadata().getUid())
                        .withResourceVersion(claim.getMetadata().getResourceVersion()).build())
                .endSpec();
        if (byController) {
            changed.editMetadata().addToAnnotations(VolumeAnnotations.BOUND_BY_CONTROLLER, VolumeAnnotations.YES).endMetadata();
        }
        return client.persistentVolumes().resource(changed.build()).update();
    }

    private PersistentVolumeClaim claimNamesVolume(PersistentVolumeClaim claim, PersistentVolume volume) {
        String name = volume.getMetadata().getName();
        Map<String, String> annotations = claim.getMetadata().getAnnotations();
        boolean named = name.equals(claim.getSpec().getVolumeName());
        boolean completed = annotations != null && annotations.containsKey(VolumeAnnotations.BIND_COMPLETED);
        if (named && completed) {
            return claim;
        }
        PersistentVolumeClaimBuilder changed = new PersistentVolumeClaimBuilder(claim)
                .editSpec().withVolumeName(name).endSpec()
                .editMetadata().addToAnnotations(VolumeAnnotations.BIND_COMPLETED, VolumeAnnotations.YES).endMetadata();
        if (!named) {
            changed.editMetadata().addToAnnotations(VolumeAnnotations.BOUND_BY_CONTROLLER, VolumeAnnotations.YES).endMetadata();
        }
        return client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .resource(changed.build()).update();
    }

    private void claimBound(PersistentVolumeClaim claim, PersistentVolume volume) {
        var status = claim.getStatus();
        if (status != null && "Bound".equals(status.getPhase())
                && Objects.equals(status.getCapacity(), volume.getSpec().getCapacity())
                && Objects.equals(status.getAccessModes(), volume.getSpec().getAccessModes())) {
            return;
        }
        PersistentVolumeClaim changed = new PersistentVolumeClaimBuilder(claim).editOrNewStatus().withPhase("Bound")
                .withCapacity(volume.getSpec().getCapacity()).withAccessModes(volume.getSpec().getAccessModes())
                .endStatus().build();
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(changed).updateStatus();
    }

    void claimPhase(PersistentVolumeClaim claim, String phase) {
        if (claim.getStatus() != null && phase.equals(claim.getStatus().getPhase())) {
            return;
        }
        PersistentVolumeClaimBuilder changed = new PersistentVolumeClaimBuilder(claim).editOrNewStatus().withPhase(phase)
                .endStatus();
        if ("Pending".equals(phase)) {
            // A claim waiting again has no capacity, as upstream clears it.
            changed.editStatus().withCapacity(null).withAccessModes().endStatus();
        }
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(changed.build())
                .updateStatus();
    }

    /** Sets the volume's phase (and message, upstream's status.message), recording when the phase changed. */
    PersistentVolume volumePhase(PersistentVolume volume, String phase, String message) {
        var status = volume.getStatus();
        if (status != null && phase.equals(status.getPhase()) && Objects.equals(message, status.getMessage())) {
            return volume;
        }
        PersistentVolumeBuilder changed = new PersistentVolumeBuilder(volume).editOrNewStatus().withPhase(phase)
                .withMessage(message).endStatus();
        if (status == null || !phase.equals(status.getPhase())) {
            changed.editStatus().withLastPhaseTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                    .endStatus();
        }
        return client.persistentVolumes().resource(changed.build()).updateStatus();
    }

    /** Upstream's unbindVolume: a binding the controller made to a claim bound elsewhere is undone. */
    void unbind(PersistentVolume volume) {
        PersistentVolume changed = new PersistentVolumeBuilder(volume).editSpec().withClaimRef(null).endSpec()
                .editMetadata().removeFromAnnotations(VolumeAnnotations.BOUND_BY_CONTROLLER).endMetadata().build();
        volumePhase(client.persistentVolumes().resource(changed).update(), "Available", null);
    }

    /** Marks the claim for its provisioner, as upstream does before provisioning. */
    PersistentVolumeClaim requestProvisioning(PersistentVolumeClaim claim, String provisioner) {
        Map<String, String> annotations = claim.getMetadata().getAnnotations();
        if (annotations != null && provisioner.equals(annotations.get(VolumeAnnotations.STORAGE_PROVISIONER))) {
            return claim;
        }
        PersistentVolumeClaim changed = new PersistentVolumeClaimBuilder(claim).editMetadata()
                .addToAnnotations(VolumeAnnotations.STORAGE_PROVISIONER, provisioner)
                .addToAnnotations(VolumeAnnotations.BETA_STORAGE_PROVISIONER, provisioner).endMetadata().build();
        return client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(changed).update();
    }
}
