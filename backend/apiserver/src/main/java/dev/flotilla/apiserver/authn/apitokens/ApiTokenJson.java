package dev.flotilla.apiserver.authn.apitokens;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.platform.tokens.ApiToken;
import java.time.Instant;
import java.util.List;

/** API tokens as Kubernetes-style objects of {@code tokens.flotilla.dev/v1}; the secret only when created. */
final class ApiTokenJson {

    static final String GROUP = "tokens.flotilla.dev";
    static final String API_VERSION = GROUP + "/v1";
    static final String RESOURCE = "apitokens";

    private ApiTokenJson() {
    }

    static ObjectNode object(ApiToken token, String secret) {
        ObjectNode object = Json.mapper().createObjectNode();
        object.put("apiVersion", API_VERSION);
        object.put("kind", "ApiToken");
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", token.name());
        metadata.put("uid", token.id().toString());
        metadata.put("creationTimestamp", timestamp(token.createdAt()));
        ObjectNode spec = object.putObject("spec");
        if (token.namespace() != null) {
            spec.put("namespace", token.namespace());
        }
        spec.put("readOnly", token.readOnly());
        ObjectNode status = object.putObject("status");
        status.put("prefix", "flt_" + token.prefix());
        status.put("expirationTimestamp", timestamp(token.expiresAt()));
        if (token.lastUsedAt() != null) {
            status.put("lastUsedTimestamp", timestamp(token.lastUsedAt()));
        }
        if (token.revokedAt() != null) {
            status.put("revocationTimestamp", timestamp(token.revokedAt()));
        }
        if (secret != null) {
            status.put("token", secret);
        }
        return object;
    }

    static ObjectNode list(List<ApiToken> tokens) {
        ObjectNode list = Json.mapper().createObjectNode();
        list.put("apiVersion", API_VERSION);
        list.put("kind", "ApiTokenList");
        list.putObject("metadata");
        tokens.forEach(token -> list.withArray("items").add(object(token, null)));
        if (tokens.isEmpty()) {
            list.putArray("items");
        }
        return list;
    }

    private static String timestamp(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
