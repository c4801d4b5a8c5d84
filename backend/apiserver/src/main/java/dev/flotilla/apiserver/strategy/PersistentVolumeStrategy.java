package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * PersistentVolumes and PersistentVolumeClaims as upstream creates them: status reset to phase
 * {@code Pending} (a PV also records when its phase last changed), {@code volumeMode} Filesystem and,
 * for a PV, reclaim policy Retain by default; binding (a controller, or the status subresource) moves
 * them on.
 */
@Singleton
public class PersistentVolumeStrategy implements KindStrategy {

    @Override
    public Set<String> kinds() {
        return Set.of("/PersistentVolume", "/PersistentVolumeClaim");
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        ObjectNode status = object.putObject("status").put("phase", "Pending");
        ObjectNode spec = object.with("spec");
        if (!spec.hasNonNull("volumeMode")) {
            spec.put("volumeMode", "Filesystem");
        }
        if (object.path("kind").asText().equals("PersistentVolume")) {
            status.put("lastPhaseTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            if (!spec.hasNonNull("persistentVolumeReclaimPolicy")) {
                spec.put("persistentVolumeReclaimPolicy", "Retain");
            }
        }
    }
}
