package dev.flotilla.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.nodeauth.PodReferences;
import java.util.Optional;

/**
 * What a mirror pod may not refer to, as upstream's NodeRestriction checks it: a node could
 * otherwise get access to any Secret, ConfigMap, claim or ServiceAccount token by naming it in a
 * pod it creates itself.
 */
final class MirrorPodReferences {

    private MirrorPodReferences() {
    }

    /** Upstream's ending of {@code node "a" can not create pods that ...}, if the pod refers to anything. */
    static Optional<String> forbidden(JsonNode pod) {
        if (!pod.path("spec").path("serviceAccountName").asText("").isEmpty()) {
            return Optional.of("use service accounts");
        }
        PodReferences references = PodReferences.read(pod);
        if (!references.secrets().isEmpty()) {
            return Optional.of("reference secrets");
        }
        if (!references.configMaps().isEmpty()) {
            return Optional.of("reference configmaps");
        }
        if (!references.claims().isEmpty()) {
            return Optional.of("reference persistentvolumeclaims");
        }
        return Optional.empty();
    }
}
