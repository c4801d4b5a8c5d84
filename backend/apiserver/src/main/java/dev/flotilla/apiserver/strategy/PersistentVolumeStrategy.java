package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.FieldError;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * PersistentVolumes and PersistentVolumeClaims as upstream creates them: status reset to phase
 * {@code Pending} (a PV also records when its phase last changed), {@code volumeMode} Filesystem and,
 * for a PV, reclaim policy Retain by default; binding (a controller, or the status subresource) moves
 * them on. A claim's spec is validated as upstream's (access modes, storage request, volumeMode).
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

    /** A claim's spec as upstream validates it; PersistentVolumes are not validated here. */
    @Override
    public List<FieldError> validate(ObjectNode object) {
        if (!object.path("kind").asText().equals("PersistentVolumeClaim")) {
            return List.of();
        }
        return ClaimSpecValidation.validateSpec(object.path("spec"), "spec");
    }
}
