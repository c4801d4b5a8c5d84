package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.ApiError;
import java.io.IOException;
import java.util.Base64;

/**
 * The opaque {@code continue} token of a paginated list: the revision of the list's snapshot and the
 * last key returned, so every page reads the same consistent snapshot.
 */
record ContinueToken(long revision, String startAfterKey) {

    String encode() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("v", "meta.k8s.io/v1");
        node.put("rv", revision);
        node.put("start", startAfterKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.toBytes(node));
    }

    static ContinueToken decode(String token) {
        try {
            JsonNode node = Json.mapper().readTree(Base64.getUrlDecoder().decode(token.trim()));
            if (node == null || !node.path("v").asText().equals("meta.k8s.io/v1") || !node.has("rv")
                    || !node.has("start") || node.get("rv").asLong() <= 0) {
                throw invalid();
            }
            return new ContinueToken(node.get("rv").asLong(), node.get("start").asText());
        } catch (IOException | IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ApiError invalid() {
        return ApiError.badRequest("continue key is not valid: incorrect encoded start resourceVersion "
                + "(version meta.k8s.io/v1)");
    }
}
