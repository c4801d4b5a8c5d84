package dev.flotilla.apiserver.authn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.token.JsonWebKeys;
import dev.flotilla.apiserver.ApiServerProperties;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.Route;
import dev.flotilla.apiserver.http.RouteProvider;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Service account issuer discovery: {@code /.well-known/openid-configuration} and
 * {@code /openid/v1/jwks}, so that other parties can verify our service account tokens as OIDC ID
 * tokens. Like upstream (whose default role grants them to service accounts only), they need an
 * authenticated caller.
 */
@Singleton
public class IssuerDiscoveryEndpoints implements RouteProvider {

    static final String JWKS_PATH = "/openid/v1/jwks";
    private static final String CACHE = "public, max-age=3600";

    private final ApiResponse configuration;
    private final ApiResponse keys;

    public IssuerDiscoveryEndpoints(ServiceAccountIssuer issuer, ApiServerProperties properties) {
        ObjectNode config = Json.mapper().createObjectNode();
        config.put("issuer", issuer.issuer());
        String host = properties.getAdvertiseHost().contains(":") ? "[" + properties.getAdvertiseHost() + "]"
                : properties.getAdvertiseHost();
        config.put("jwks_uri", "https://" + host + ":" + properties.getPort() + JWKS_PATH);
        config.putArray("response_types_supported").add("id_token");
        config.putArray("subject_types_supported").add("public");
        config.putArray("id_token_signing_alg_values_supported").add("RS256");
        this.configuration = ApiResponse.json(200, config).withHeader("Cache-Control", CACHE);
        this.keys = new ApiResponse(200, "application/jwk-set+json",
                JsonWebKeys.document(issuer.publicKeys()).getBytes(StandardCharsets.UTF_8), Map.of("Cache-Control",
                        CACHE));
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.exact("/.well-known/openid-configuration", false, request -> configuration),
                Route.exact(JWKS_PATH, false, request -> keys));
    }
}
