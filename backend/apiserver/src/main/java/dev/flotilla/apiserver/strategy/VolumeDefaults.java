package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Upstream's defaults of a pod spec's volumes: {@code defaultMode} 420 (0644) on secret, configMap,
 * downwardAPI and projected volumes, {@code expirationSeconds} 3600 on projected service account tokens
 * and {@code apiVersion: v1} on downward API field references. Clients rely on them being set
 * ({@code kubectl describe pod} reads a projected token's expirationSeconds without a nil check).
 */
final class VolumeDefaults {

    static final int DEFAULT_MODE = 420;
    static final long TOKEN_EXPIRATION_SECONDS = 3600;

    private VolumeDefaults() {
    }

    static void apply(ObjectNode podSpec) {
        for (JsonNode volume : podSpec.path("volumes")) {
            for (String source : new String[] {"secret", "configMap", "downwardAPI", "projected"}) {
                if (volume.get(source) instanceof ObjectNode s) {
                    Fields.defaultInt(s, "defaultMode", DEFAULT_MODE);
                }
            }
            fieldRefVersions(volume.path("downwardAPI"));
            for (JsonNode projection : volume.path("projected").path("sources")) {
                if (projection.get("serviceAccountToken") instanceof ObjectNode token) {
                    Fields.defaultInt(token, "expirationSeconds", TOKEN_EXPIRATION_SECONDS);
                }
                fieldRefVersions(projection.path("downwardAPI"));
            }
        }
    }

    private static void fieldRefVersions(JsonNode downwardApi) {
        for (JsonNode item : downwardApi.path("items")) {
            if (item.get("fieldRef") instanceof ObjectNode ref) {
                Fields.defaultText(ref, "apiVersion", "v1");
            }
        }
    }
}
