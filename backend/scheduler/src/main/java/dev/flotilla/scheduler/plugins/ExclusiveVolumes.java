package dev.flotilla.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Objects;

/**
 * Upstream's volume conflicts of VolumeRestrictions ({@code isVolumeConflict}): volumes that one node
 * can attach read-write for one pod only. The same GCE persistent disk, iSCSI target (IQN) or RBD image
 * (an overlapping monitor, same pool and image) conflicts unless both mounts are read-only; the same AWS
 * EBS volume always conflicts. Other volume types never conflict here.
 */
final class ExclusiveVolumes {

    private ExclusiveVolumes() {
    }

    /** Whether the pod has a volume that upstream checks for conflicts at all. */
    static boolean needsCheck(Pod pod) {
        return volumes(pod).stream().anyMatch(v -> v.getGcePersistentDisk() != null || v.getAwsElasticBlockStore() != null
                || v.getIscsi() != null || v.getRbd() != null);
    }

    /** Whether any of {@code pod}'s volumes conflicts with one of {@code existing}'s. */
    static boolean conflict(Pod pod, Pod existing) {
        for (Volume volume : volumes(pod)) {
            for (Volume other : volumes(existing)) {
                if (conflict(volume, other)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean conflict(Volume volume, Volume other) {
        if (volume.getGcePersistentDisk() != null && other.getGcePersistentDisk() != null) {
            var disk = volume.getGcePersistentDisk();
            var otherDisk = other.getGcePersistentDisk();
            if (Objects.equals(disk.getPdName(), otherDisk.getPdName()) && !(readOnly(disk.getReadOnly())
                    && readOnly(otherDisk.getReadOnly()))) {
                return true;
            }
        }
        if (volume.getAwsElasticBlockStore() != null && other.getAwsElasticBlockStore() != null
                && Objects.equals(volume.getAwsElasticBlockStore().getVolumeID(), other.getAwsElasticBlockStore().getVolumeID())) {
            return true;
        }
        if (volume.getIscsi() != null && other.getIscsi() != null
                && Objects.equals(volume.getIscsi().getIqn(), other.getIscsi().getIqn())
                && !(readOnly(volume.getIscsi().getReadOnly()) && readOnly(other.getIscsi().getReadOnly()))) {
            return true;
        }
        if (volume.getRbd() != null && other.getRbd() != null) {
            var image = volume.getRbd();
            var otherImage = other.getRbd();
            return overlap(image.getMonitors(), otherImage.getMonitors())
                    && Objects.equals(image.getPool(), otherImage.getPool())
                    && Objects.equals(image.getImage(), otherImage.getImage())
                    && !(readOnly(image.getReadOnly()) && readOnly(otherImage.getReadOnly()));
        }
        return false;
    }

    private static boolean overlap(List<String> a, List<String> b) {
        return a != null && b != null && a.stream().anyMatch(b::contains);
    }

    private static boolean readOnly(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    private static List<Volume> volumes(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    }
}
