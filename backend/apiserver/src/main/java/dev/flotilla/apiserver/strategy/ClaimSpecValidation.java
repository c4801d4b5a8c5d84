package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.resource.NameValidation;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Upstream's {@code ValidatePersistentVolumeClaimSpec} and {@code ValidatePersistentVolumeClaimTemplate}:
 * at least one supported access mode (ReadWriteOncePod alone), a positive {@code resources.requests.storage}
 * and a supported volumeMode; a claim template (a generic ephemeral volume's) may set only labels and
 * annotations in its metadata. Shared by claims and by pods' ephemeral volumes.
 */
final class ClaimSpecValidation {

    static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
    private static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
    private static final String READ_WRITE_ONCE_POD = "ReadWriteOncePod";

    private ClaimSpecValidation() {
    }

    static List<FieldError> validateSpec(JsonNode spec, String path) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode modes = spec.path("accessModes");
        if (modes.isEmpty()) {
            errors.add(FieldError.required(path + ".accessModes", "at least 1 access mode is required"));
        }
        boolean readWriteOncePod = false;
        for (JsonNode mode : modes) {
            if (!ACCESS_MODES.contains(mode.asText())) {
                errors.add(FieldError.notSupported(path + ".accessModes", mode.asText(), ACCESS_MODES));
            }
            readWriteOncePod |= READ_WRITE_ONCE_POD.equals(mode.asText());
        }
        if (readWriteOncePod && modes.size() > 1) {
            errors.add(FieldError.forbidden(path + ".accessModes", "may not use ReadWriteOncePod with other access modes"));
        }
        String storagePath = path + ".resources[storage]";
        JsonNode storage = spec.path("resources").path("requests").path("storage");
        if (storage.isMissingNode() || storage.isNull()) {
            errors.add(FieldError.required(storagePath, ""));
        } else if (!positive(storage.asText())) {
            errors.add(FieldError.invalid(storagePath, storage.asText(), "must be greater than zero"));
        }
        JsonNode volumeMode = spec.path("volumeMode");
        if (volumeMode.isTextual() && !VOLUME_MODES.contains(volumeMode.asText())) {
            errors.add(FieldError.notSupported(path + ".volumeMode", volumeMode.asText(), VOLUME_MODES));
        }
        return errors;
    }

    /** A generic ephemeral volume ({@code ephemeral} of a pod volume at {@code path}). */
    static List<FieldError> validateEphemeral(JsonNode ephemeral, String path) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode template = ephemeral.path("volumeClaimTemplate");
        String templatePath = path + ".volumeClaimTemplate";
        if (template.isMissingNode() || template.isNull()) {
            errors.add(FieldError.required(templatePath, ""));
            return errors;
        }
        // Upstream's ValidateTemplateObjectMeta: every metadata field other than labels and annotations is refused.
        Iterator<Map.Entry<String, JsonNode>> fields = template.path("metadata").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("labels") && !field.getKey().equals("annotations") && !Fields.isBlank(field.getValue())
                    && !(field.getValue().isContainerNode() && field.getValue().isEmpty())) {
                errors.add(FieldError.forbidden(templatePath + ".metadata." + field.getKey(),
                        "cannot be set for an ephemeral volume"));
            }
        }
        errors.addAll(validateSpec(template.path("spec"), templatePath + ".spec"));
        return errors;
    }

    /**
     * Upstream's check of a pod's (not a template's) ephemeral volumes: the claim name {@code <pod>-<volume>}
     * must be a valid object name, reported on the volume's name.
     */
    static List<FieldError> validateEphemeralClaimNames(JsonNode pod) {
        List<FieldError> errors = new ArrayList<>();
        String podName = pod.path("metadata").path("name").asText("");
        JsonNode volumes = pod.path("spec").path("volumes");
        for (int i = 0; i < volumes.size(); i++) {
            JsonNode volume = volumes.get(i);
            if (podName.isEmpty() || !volume.path("ephemeral").isObject()) {
                continue;
            }
            String volumeName = volume.path("name").asText("");
            String claimName = podName + "-" + volumeName;
            for (String problem : NameValidation.nameProblems(claimName, NameValidation.NameRule.SUBDOMAIN)) {
                errors.add(FieldError.invalid("spec.volumes[" + i + "].name", volumeName,
                        "PVC name \"" + claimName + "\": " + problem));
            }
        }
        return errors;
    }

    private static boolean positive(String quantity) {
        try {
            return Quantity.getAmountInBytes(new Quantity(quantity)).compareTo(BigDecimal.ZERO) > 0;
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }
}
