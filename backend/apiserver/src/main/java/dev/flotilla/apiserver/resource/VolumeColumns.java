package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cells of upstream's PV, PVC and StorageClass printers. */
final class VolumeColumns {

    private static final Map<String, String> SHORT_MODES = Map.of("ReadWriteOnce", "RWO", "ReadOnlyMany", "ROX",
            "ReadWriteMany", "RWX", "ReadWriteOncePod", "RWOP");
    private static final List<String> MODE_ORDER = List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");

    private VolumeColumns() {
    }

    /** {@code RWO,ROX} in upstream's fixed order, from the {@code accessModes} under {@code section}. */
    static String accessModes(JsonNode section) {
        List<String> present = new ArrayList<>();
        section.path("accessModes").forEach(mode -> present.add(mode.asText()));
        List<String> shown = new ArrayList<>();
        for (String mode : MODE_ORDER) {
            if (present.contains(mode)) {
                shown.add(SHORT_MODES.get(mode));
            }
        }
        return String.join(",", shown);
    }

    /** The phase, or {@code Terminating} once deletion began (a protection finalizer holds it), as upstream prints it. */
    static String phase(ObjectNode object) {
        JsonNode deleted = object.path("metadata").path("deletionTimestamp");
        return deleted.isTextual() ? "Terminating" : object.path("status").path("phase").asText("");
    }

    static String claim(ObjectNode volume) {
        JsonNode ref = volume.path("spec").path("claimRef");
        return ref.isMissingNode() || ref.isNull() ? "" : ref.path("namespace").asText() + "/" + ref.path("name").asText();
    }

    /** The name, with {@code (default)} for the default class, as upstream prints it. */
    static String className(ObjectNode storageClass) {
        JsonNode annotations = storageClass.path("metadata").path("annotations");
        boolean isDefault = annotations.path("storageclass.kubernetes.io/is-default-class").asText("").equals("true")
                || annotations.path("storageclass.beta.kubernetes.io/is-default-class").asText("").equals("true");
        String name = ObjectMetadata.of(storageClass).name();
        return isDefault ? name + " (default)" : name;
    }
}
