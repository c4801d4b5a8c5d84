package dev.flotilla.apiserver.authn.apitokens;

import static dev.flotilla.apiserver.authn.apitokens.ApiTokenJson.GROUP;
import static dev.flotilla.apiserver.authn.apitokens.ApiTokenJson.RESOURCE;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.auth.ApiTokenScope;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.selector.LabelSyntax;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.http.ApiRequest;
import dev.flotilla.apiserver.http.ApiResponse;
import dev.flotilla.apiserver.http.Route;
import dev.flotilla.apiserver.http.RouteProvider;
import dev.flotilla.platform.tokens.ApiToken;
import dev.flotilla.platform.tokens.ApiTokenStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-in user's platform API tokens at {@code /apis/tokens.flotilla.dev/v1/apitokens}: POST
 * creates one (its value is in the answer's {@code status.token}, and nowhere else, ever), GET lists
 * them with their last use, GET and DELETE {@code /apitokens/<name>} read and revoke one. Every user
 * sees only their own; a request made with an API token cannot create another.
 */
@Singleton
public class ApiTokenEndpoints implements RouteProvider {

    static final String PATH = "/apis/" + ApiTokenJson.API_VERSION + "/" + RESOURCE;
    static final Duration DEFAULT_LIFETIME = Duration.ofDays(30);
    static final Duration MAX_LIFETIME = Duration.ofDays(365);
    static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ApiTokenEndpoints.class);

    private final ApiTokenStore store;
    private final ApiTokenAuthenticator authenticator;

    public ApiTokenEndpoints(ApiTokenStore store, ApiTokenAuthenticator authenticator) {
        this.store = store;
        this.authenticator = authenticator;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.tree(PATH, false, this::handle));
    }

    private ApiResponse handle(ApiRequest request) {
        String rest = request.path().length() > PATH.length() ? request.path().substring(PATH.length() + 1) : "";
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String method = request.method().name();
        try {
            if (rest.isEmpty() && method.equals("POST")) {
                return create(request);
            }
            if (rest.isEmpty() && method.equals("GET")) {
                return ApiResponse.json(200, ApiTokenJson.list(store.list(request.user().name())));
            }
            if (!rest.isEmpty() && !rest.contains("/") && method.equals("GET")) {
                return ApiResponse.json(200, ApiTokenJson.object(find(request.user(), rest), null));
            }
            if (!rest.isEmpty() && !rest.contains("/") && method.equals("DELETE")) {
                return revoke(request.user(), rest);
            }
            if (!rest.isEmpty() && rest.contains("/")) {
                throw ApiError.notFoundPath();
            }
            throw ApiError.methodNotAllowed(method);
        } catch (SQLException e) {
            LOG.warn("API tokens unavailable: {}", e.getMessage());
            throw ApiError.serviceUnavailable("API tokens are unavailable: the platform database is unreachable");
        }
    }

    private ApiResponse create(ApiRequest request) throws SQLException {
        UserInfo user = request.user();
        if (ApiTokenScope.of(user).isPresent()) {
            throw ApiError.forbidden(GROUP, RESOURCE, "", "User \"" + user.name()
                    + "\" cannot create resource \"" + RESOURCE + "\" in API group \"" + GROUP
                    + "\" at the cluster scope: an API token cannot create API tokens");
        }
        JsonNode body = body(request);
        String name = body.path("metadata").path("name").asText("");
        JsonNode spec = body.path("spec");
        List<FieldError> errors = new ArrayList<>();
        if (name.isEmpty()) {
            errors.add(FieldError.required("metadata.name", "name is required"));
        } else {
            LabelSyntax.dns1123SubdomainErrors(name).forEach(e -> errors.add(FieldError.invalid("metadata.name", name, e)));
        }
        String namespace = spec.hasNonNull("namespace") ? spec.get("namespace").asText() : null;
        if (namespace != null) {
            LabelSyntax.dns1123SubdomainErrors(namespace)
                    .forEach(e -> errors.add(FieldError.invalid("spec.namespace", namespace, e)));
        }
        Duration lifetime = DEFAULT_LIFETIME;
        if (spec.has("expirationSeconds")) {
            JsonNode seconds = spec.get("expirationSeconds");
            lifetime = seconds.canConvertToLong() ? Duration.ofSeconds(seconds.asLong()) : Duration.ZERO;
            if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
                errors.add(FieldError.invalid("spec.expirationSeconds",
                        seconds.canConvertToLong() ? (Object) seconds.asLong() : seconds.asText(),
                        "must be between " + MIN_LIFETIME.toSeconds() + " and " + MAX_LIFETIME.toSeconds()
                                + " seconds (one year)"));
            }
        }
        if (spec.has("readOnly") && !spec.get("readOnly").isBoolean()) {
            errors.add(FieldError.invalid("spec.readOnly", spec.get("readOnly").asText(), "must be a boolean"));
        }
        if (!errors.isEmpty()) {
            throw ApiError.invalid(GROUP, "ApiToken", name, errors);
        }
        List<String> groups = user.groups().stream().filter(g -> !g.equals(UserInfo.AUTHENTICATED_GROUP)).toList();
        try {
            ApiTokenStore.Issued issued = store.create(user.name(), groups, name, namespace,
                    spec.path("readOnly").asBoolean(false), Instant.now().plus(lifetime));
            LOG.info("user {} created API token {} ({})", user.name(), name, "flt_" + issued.token().prefix());
            return ApiResponse.json(201, ApiTokenJson.object(issued.token(), issued.value()));
        } catch (ApiTokenStore.NameTakenException e) {
            throw ApiError.alreadyExists(GROUP, RESOURCE, name);
        }
    }

    private ApiToken find(UserInfo user, String name) throws SQLException {
        return store.list(user.name()).stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiError.notFound(GROUP, RESOURCE, name));
    }

    private ApiResponse revoke(UserInfo user, String name) throws SQLException {
        ApiToken revoked = store.revoke(user.name(), name).orElseThrow(() -> ApiError.notFound(GROUP, RESOURCE, name));
        authenticator.forget(revoked.prefix());
        LOG.info("user {} revoked API token {} ({})", user.name(), name, "flt_" + revoked.prefix());
        return ApiResponse.json(200, ApiTokenJson.object(revoked, null));
    }

    private static JsonNode body(ApiRequest request) {
        try {
            JsonNode body = Json.mapper().readTree(request.body());
            if (body == null || !body.isObject()) {
                throw ApiError.badRequest("the body must be an ApiToken object");
            }
            return body;
        } catch (IOException e) {
            throw ApiError.badRequest("cannot decode the body as JSON: " + e.getMessage());
        }
    }
}
