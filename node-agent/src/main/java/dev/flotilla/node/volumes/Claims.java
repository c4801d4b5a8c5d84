package dev.flotilla.node.volumes;

import dev.flotilla.api.storage.PodClaims;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * persistentVolumeClaim and generic ephemeral volumes (the claim {@code <pod>-<volume>}, which must be
 * owned by the pod): the claim must be Bound to a PersistentVolume whose claimRef is this
 * claim; the node mounts hostPath and local PersistentVolumes (their path on this host).
 */
final class Claims {

    private final KubernetesClient client;

    Claims(KubernetesClient client) {
        this.client = client;
    }

    PodVolumes.MountedVolume mount(Pod pod, Volume source) {
        String namespace = pod.getMetadata().getNamespace();
        String name = PodClaims.claimName(pod, source);
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
        if (claim == null) {
            throw new VolumeSetupException("persistentvolumeclaim \"" + name + "\" not found");
        }
        if (PodClaims.isEphemeral(source) && !PodClaims.isOwnedBy(claim, pod)) {
            throw new VolumeSetupException(PodClaims.notOwnerMessage(claim, pod));
        }
        String phase = claim.getStatus() == null ? "" : claim.getStatus().getPhase();
        String volumeName = claim.getSpec().getVolumeName() == null ? "" : claim.getSpec().getVolumeName();
        if (!"Bound".equals(phase) || volumeName.isEmpty()) {
            throw new VolumeSetupException("PVC " + namespace + "/" + name + " has non-bound phase (\"" + phase
                    + "\") or empty pvc.Spec.VolumeName (\"" + volumeName + "\")");
        }
        PersistentVolume volume = client.persistentVolumes().withName(volumeName).get();
        if (volume == null) {
            throw new VolumeSetupException("persistentvolume \"" + volumeName + "\" not found");
        }
        var claimRef = volume.getSpec().getClaimRef();
        if (claimRef == null || !claim.getMetadata().getUid().equals(claimRef.getUid())) {
            throw new VolumeSetupException("the PV " + volumeName + " is not bound to claim " + namespace + "/" + name
                    + " (" + claim.getMetadata().getUid() + ")");
        }
        boolean readOnly = source.getPersistentVolumeClaim() != null
                && Boolean.TRUE.equals(source.getPersistentVolumeClaim().getReadOnly());
        if (volume.getSpec().getHostPath() != null) {
            HostPaths.check(volume.getSpec().getHostPath().getPath(), volume.getSpec().getHostPath().getType());
            return new PodVolumes.MountedVolume(Path.of(volume.getSpec().getHostPath().getPath()), readOnly);
        }
        if (volume.getSpec().getLocal() != null) {
            Path path = Path.of(volume.getSpec().getLocal().getPath());
            if (!Files.exists(path)) {
                throw new VolumeSetupException("path \"" + path + "\" does not exist");
            }
            return new PodVolumes.MountedVolume(path, readOnly);
        }
        throw new VolumeSetupException("the PV " + volumeName + " is of a type this node cannot mount (it mounts "
                + "hostPath and local volumes)");
    }
}
