package dev.flotilla.api.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The JSON payload of a service account token, both ways. */
final class ClaimsJson {

    private static final String KUBERNETES = "kubernetes.io";

    private ClaimsJson() {
    }

    static ObjectNode write(ServiceAccountClaims claims) {
        ObjectNode json = Json.mapper().createObjectNode();
        ArrayNode audiences = json.putArray("aud");
        claims.audiences().forEach(audiences::add);
        json.put("exp", claims.expiresAt().getEpochSecond());
        json.put("iat", claims.issuedAt().getEpochSecond());
        json.put("iss", claims.issuer());
        json.put("jti", claims.tokenId());
        ObjectNode kubernetes = json.putObject(KUBERNETES);
        kubernetes.put("namespace", claims.namespace());
        putBound(kubernetes, "node", claims.node());
        putBound(kubernetes, "pod", claims.pod());
        putBound(kubernetes, "secret", claims.secret());
        putBound(kubernetes, "serviceaccount", claims.serviceAccount());
        json.put("nbf", claims.notBefore().getEpochSecond());
        json.put("sub", claims.subject());
        return json;
    }

    static ServiceAccountClaims read(JsonNode json) throws InvalidTokenException {
        JsonNode kubernetes = json.path(KUBERNETES);
        BoundObject account = bound(kubernetes, "serviceaccount");
        String namespace = kubernetes.path("namespace").asText("");
        if (account == null || account.name().isEmpty() || namespace.isEmpty()) {
            throw new InvalidTokenException("service account token claims are missing the namespace or service account");
        }
        ServiceAccountClaims claims = new ServiceAccountClaims(json.path("iss").asText(""), audiences(json.path("aud")),
                time(json, "iat"), time(json, "nbf"), time(json, "exp"), json.path("jti").asText(""), namespace,
                account, bound(kubernetes, "pod"), bound(kubernetes, "secret"), bound(kubernetes, "node"));
        if (!claims.subject().equals(json.path("sub").asText())) {
            throw new InvalidTokenException("service account token subject does not match its kubernetes.io claims");
        }
        return claims;
    }

    private static void putBound(ObjectNode parent, String field, BoundObject object) {
        if (object != null) {
            ObjectNode node = parent.putObject(field);
            node.put("name", object.name());
            if (object.uid() != null && !object.uid().isEmpty()) {
                node.put("uid", object.uid());
            }
        }
    }

    private static BoundObject bound(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        return node.isObject() ? new BoundObject(node.path("name").asText(""), node.path("uid").asText("")) : null;
    }

    /** {@code aud} is a string or an array of strings (RFC 7519 allows both). */
    private static List<String> audiences(JsonNode aud) {
        List<String> audiences = new ArrayList<>();
        if (aud.isTextual()) {
            audiences.add(aud.asText());
        } else {
            aud.forEach(a -> audiences.add(a.asText()));
        }
        return audiences;
    }

    private static Instant time(JsonNode json, String field) throws InvalidTokenException {
        JsonNode value = json.get(field);
        if (value == null || !value.isNumber()) {
            if (field.equals("nbf")) {
                return Instant.EPOCH;
            }
            throw new InvalidTokenException("service account token has no " + field + " claim");
        }
        return Instant.ofEpochSecond(value.asLong());
    }
}
