package dev.flotilla.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Whether a pod update needs a fresh evaluation, as upstream's {@code isSignificantPodUpdate}:
 * of a running pod's spec only container images (and the set of containers) may change, so a
 * metadata or status change is not checked again.
 */
final class PodUpdates {

    private PodUpdates() {
    }

    static boolean significant(JsonNode pod, JsonNode old) {
        if (old == null) {
            return true;
        }
        for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
            JsonNode now = pod.path("spec").path(field);
            JsonNode before = old.path("spec").path(field);
            if (now.size() != before.size()) {
                return true;
            }
            for (int i = 0; i < now.size(); i++) {
                if (!now.get(i).path("image").equals(before.get(i).path("image"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
